import { defineConfig } from "tsup";
import { packageBuild } from "../../tooling/tsup.preset.js";
import pkg from "./package.json" with { type: "json" };

export default defineConfig(
  packageBuild(Object.fromEntries(Object.values(pkg.keel.entries).map((name) => [name, `src/${name}.ts`]))),
);
