// Packaging proof: packs every package as pnpm publishes it, installs the tarballs with npm into a fresh
// project outside the workspace, then loads every entry with ESM import and CJS require and compiles a
// TypeScript consumer under moduleResolution node16 and bundler.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const work = mkdtempSync(join(tmpdir(), "keel-consumer-"));
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ["ignore", "pipe", "inherit"] }).toString();

try {
  const tarballs = join(work, "tarballs");
  mkdirSync(tarballs);
  const specifiers = [];
  for (const dir of readdirSync(join(root, "packages"))) {
    const pkgDir = join(root, "packages", dir);
    const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
    run("pnpm", ["pack", "--pack-destination", tarballs], pkgDir);
    for (const subpath of Object.keys(pkg.publishConfig.exports)) {
      if (subpath !== "./package.json")
        specifiers.push(subpath === "." ? pkg.name : `${pkg.name}${subpath.slice(1)}`);
    }
  }

  const app = join(work, "app");
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "consumer", private: true, version: "1.0.0" }),
  );
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--loglevel=error", ...files, "@types/node@20.19.43"],
    app,
  );

  const esm = specifiers.map((s, i) => `import * as m${i} from ${JSON.stringify(s)};`).join("\n");
  writeFileSync(
    join(app, "esm.mjs"),
    `${esm}\nconsole.log("esm ok", [${specifiers.map((_, i) => `m${i}`).join(", ")}].length);\n`,
  );
  const cjs = specifiers.map((s) => `require(${JSON.stringify(s)});`).join("\n");
  writeFileSync(join(app, "cjs.cjs"), `${cjs}\nconsole.log("cjs ok", ${specifiers.length});\n`);
  process.stdout.write(run("node", ["esm.mjs"], app));
  process.stdout.write(run("node", ["cjs.cjs"], app));

  const ts = specifiers
    .map((s, i) => `import * as t${i} from ${JSON.stringify(s)};\nexport { t${i} };`)
    .join("\n");
  writeFileSync(join(app, "consumer.mts"), `${ts}\n`);
  writeFileSync(join(app, "consumer.cts"), `${ts}\n`);
  for (const [module, moduleResolution] of [
    ["node16", "node16"],
    ["preserve", "bundler"],
  ]) {
    const args = ["--noEmit", "--strict", "--skipLibCheck", "false", "--types", "node", "--module", module];
    args.push("--moduleResolution", moduleResolution, "--target", "es2022", "consumer.mts", "consumer.cts");
    run(process.execPath, [tsc, ...args], app);
    console.log(`typescript ok (${moduleResolution})`);
  }
  console.log(`consumer check passed: ${specifiers.length} entries from ${files.length} tarballs`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
