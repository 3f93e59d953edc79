import { defineProject } from "vitest/config";

/** Per-package test project: resolves workspace packages to their sources. */
export function packageProject(name: string) {
  return defineProject({
    resolve: { conditions: ["@keel/source"] },
    ssr: { resolve: { conditions: ["@keel/source"] } },
    test: {
      name,
      include: ["test/**/*.test.ts"],
      environment: "node",
    },
  });
}
