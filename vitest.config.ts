import { readdirSync } from "node:fs";
import { defineConfig } from "vitest/config";

const packages = readdirSync(new URL("./packages", import.meta.url));

// Coverage is gated per package: each package's sources must reach the thresholds on their own.
const thresholds = Object.fromEntries(
  packages.map((dir) => [`packages/${dir}/src/**`, { lines: 90, branches: 85 }]),
);

export default defineConfig({
  test: {
    projects: ["packages/*", "examples/*", "bench", "reliability"],
    coverage: {
      provider: "v8",
      include: packages.map((dir) => `packages/${dir}/src/**/*.ts`),
      exclude: ["**/*.d.ts"],
      reporter: ["text-summary", "json-summary"],
      thresholds,
    },
  },
});
