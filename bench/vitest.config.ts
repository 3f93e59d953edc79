import { defineProject } from "vitest/config";

export default defineProject({
  resolve: { conditions: ["@keel/source"] },
  ssr: { resolve: { conditions: ["@keel/source"] } },
  test: { name: "bench", include: ["test/**/*.test.ts"] },
});
