// Regenerates the `exports` map, publishConfig and tsup entries of a package from its `keel.entries`
// list, so the exports map and the build never drift. Usage: node scripts/package-exports.mjs
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
for (const dir of readdirSync(join(root, "packages"))) {
  const file = join(root, "packages", dir, "package.json");
  const pkg = JSON.parse(readFileSync(file, "utf8"));
  const entries = pkg.keel?.entries ?? { ".": "index" };
  const dev = {};
  const published = {};
  for (const [subpath, name] of Object.entries(entries)) {
    const built = {
      import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
      require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
    };
    const source = name === "index" ? "./src/index.ts" : `./src/${name}.ts`;
    dev[subpath] = { "@keel/source": source, ...built };
    published[subpath] = built;
  }
  dev["./package.json"] = "./package.json";
  published["./package.json"] = "./package.json";
  pkg.exports = dev;
  pkg.publishConfig = { ...(pkg.publishConfig ?? {}), access: "public", exports: published };
  pkg.main = "./dist/index.cjs";
  pkg.module = "./dist/index.js";
  pkg.types = "./dist/index.d.cts";
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}
