import type { Options } from "tsup";

/** The one build every package shares: ESM + CJS + declarations for both, Node 20. */
export function packageBuild(entry: Record<string, string>): Options {
  return {
    entry,
    format: ["esm", "cjs"],
    dts: { compilerOptions: { customConditions: [] } },
    clean: true,
    target: "node20",
    sourcemap: true,
    splitting: true,
    treeshake: true,
  };
}
