// Size budgets per entry point, as a user's bundler sees them: each entry's built ESM file is bundled by
// esbuild with its dependencies (lru-cache, @keel/http, ...) inlined and only peer dependencies and Node
// builtins left external, minified, then gzipped (level 9). The gzipped size must stay within the
// entry's budget in tooling/size-budgets.json. From esbuild's metafile it also checks that no framework,
// Redis client, OpenTelemetry or vitest code is bundled into or imported by an entry that does not list
// it in `allowImports` (adapters import their framework with `import type`, so none of them may).
// Prints the table and writes it to test-output/sizes.md. Needs the packages built (pnpm run build).
// Usage: node scripts/size-check.mjs             check
//        node scripts/size-check.mjs --update    set every budget to the measured size + 10% (rounded up
//                                                to 100 bytes) and rewrite docs/sizes.md; review the diff
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const budgetFile = join(root, "tooling", "size-budgets.json");
const docsFile = join(root, "docs", "sizes.md");
const update = process.argv.includes("--update");
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));

/** Modules an entry may neither bundle nor import unless its budget allows them by name. */
const GUARDED = [
  "express",
  "fastify",
  "hono",
  "koa",
  "@koa/router",
  "@hono/node-server",
  "ioredis",
  "redis",
  "@redis/",
  "@opentelemetry/",
  "vitest",
];
const guarded = (name) => GUARDED.find((g) => (g.endsWith("/") ? name.startsWith(g) : name === g));
/** The package a bare import or a node_modules path names (`@scope/name` or `name`). */
const packageOf = (specifier) =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0];

/** The package a bundled file belongs to: a node_modules package or a workspace sibling; undefined if ours. */
function bundledPackage(file, pkgDir) {
  const at = file.lastIndexOf("/node_modules/");
  if (at !== -1) return packageOf(file.slice(at + "/node_modules/".length));
  const sibling = relative(join(root, "packages"), file).split("/")[0];
  if (file.startsWith(`${pkgDir}/`) || sibling.startsWith("..")) return undefined;
  return readJson(join(root, "packages", sibling, "package.json")).name;
}

const budgets = readJson(budgetFile);
const rows = [];
const problems = [];
const seen = new Set();

for (const dir of readdirSync(join(root, "packages")).sort()) {
  const pkgDir = join(root, "packages", dir);
  const pkg = readJson(join(pkgDir, "package.json"));
  const peers = Object.keys(pkg.peerDependencies ?? {});
  for (const [subpath, conditions] of Object.entries(pkg.publishConfig.exports)) {
    if (subpath === "./package.json") continue;
    const entry = subpath === "." ? pkg.name : `${pkg.name}${subpath.slice(1)}`;
    seen.add(entry);
    let result;
    try {
      result = await build({
        entryPoints: [join(pkgDir, conditions.import.default)],
        absWorkingDir: pkgDir,
        bundle: true,
        minify: true,
        format: "esm",
        platform: "node", // Node builtins stay external
        target: "node20",
        external: peers.flatMap((p) => [p, `${p}/*`]),
        metafile: true,
        write: false,
        logLevel: "silent",
      });
    } catch (error) {
      // An import esbuild cannot resolve from the package is one a user's bundler cannot either.
      problems.push(`${entry} does not bundle: ${error.message}`);
      continue;
    }
    const code = result.outputFiles[0].contents;
    const gzip = gzipSync(code, { level: 9 }).length;
    const budget = budgets.entries[entry];
    const allowed = new Set(budget?.allowImports ?? []);

    // What the bundle contains (inputs) and what it still imports at run time (external imports).
    const inputs = Object.keys(result.metafile.inputs);
    const bundledPackages = new Set(inputs.map((input) => bundledPackage(resolve(pkgDir, input), pkgDir)));
    bundledPackages.delete(undefined);
    const imports = Object.values(result.metafile.outputs)
      .flatMap((output) => output.imports)
      .filter((i) => i.external && !i.path.startsWith("node:") && !builtinModules.includes(i.path))
      .map((i) => packageOf(i.path));
    for (const name of [...bundledPackages, ...imports]) {
      if (guarded(name) && !allowed.has(name)) {
        const how = bundledPackages.has(name) ? "bundles" : "imports at run time";
        problems.push(
          `${entry} ${how} ${name}, which it must not need (allowImports: ${[...allowed].join(", ") || "none"})`,
        );
      }
    }
    const external = [...new Set(imports)].sort();

    if (update) {
      budgets.entries[entry] = {
        gzipBytes: Math.ceil((gzip * 1.1) / 100) * 100,
        ...(allowed.size > 0 ? { allowImports: [...allowed] } : {}),
      };
    } else if (budget === undefined) {
      problems.push(`${entry} has no budget in tooling/size-budgets.json (measured ${gzip} B gzipped)`);
    } else if (gzip > budget.gzipBytes) {
      problems.push(`${entry} is ${gzip} B gzipped, over its budget of ${budget.gzipBytes} B`);
    }
    rows.push({
      entry,
      minified: code.length,
      gzip,
      budget: budgets.entries[entry]?.gzipBytes,
      bundled: [...bundledPackages].sort(),
      external,
    });
  }
}
for (const entry of Object.keys(budgets.entries)) {
  if (!seen.has(entry)) {
    if (update) delete budgets.entries[entry];
    else problems.push(`tooling/size-budgets.json has a budget for ${entry}, which is not an entry any more`);
  }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const table = [
  "| entry | minified | min + gzip | budget (gzip) | bundled dependencies | imported at run time |",
  "| --- | ---: | ---: | ---: | --- | --- |",
  ...rows.map(
    (r) =>
      `| \`${r.entry}\` | ${kb(r.minified)} | ${kb(r.gzip)} | ${r.budget === undefined ? "none" : kb(r.budget)} | ` +
      `${r.bundled.map((b) => `\`${b}\``).join(", ") || "none"} | ${r.external.map((b) => `\`${b}\``).join(", ") || "Node builtins only"} |`,
  ),
].join("\n");
console.log(table);
mkdirSync(join(root, "test-output"), { recursive: true });
writeFileSync(join(root, "test-output", "sizes.md"), `${table}\n`);

if (update) {
  budgets.entries = Object.fromEntries(
    Object.entries(budgets.entries).sort(([a], [b]) => a.localeCompare(b)),
  );
  writeFileSync(budgetFile, `${JSON.stringify(budgets, null, 2)}\n`);
  writeFileSync(
    docsFile,
    `---
title: Bundle sizes
---

# Bundle sizes

What each entry point adds to an application bundle: the published ESM build bundled by esbuild with
its own dependencies (\`lru-cache\`, \`@keel/http\`) inlined, frameworks, Redis clients and other peer
dependencies left out, minified, then gzipped at level 9. \`pnpm test\` fails when an entry grows past its
budget (\`tooling/size-budgets.json\`), or when an entry that does not need a framework, a Redis client,
OpenTelemetry or vitest bundles or imports one. Figures measured by \`node scripts/size-check.mjs --update\`;
\`pnpm test\` prints the current ones.

${table}
`,
  );
  console.log(`\nwrote ${relative(root, budgetFile)} and ${relative(root, docsFile)}`);
}
if (!update) {
  // docs/sizes.md (published on the site) must list the budgets in force, entry for entry.
  const documented = new Map(
    [...readFileSync(docsFile, "utf8").matchAll(/^\| `([^`]+)` \|[^|]*\|[^|]*\| ([^|]+) \|/gm)].map((m) => [
      m[1],
      m[2],
    ]),
  );
  const stale = rows.filter(
    (r) => documented.get(r.entry) !== (r.budget === undefined ? "none" : kb(r.budget)),
  );
  if (stale.length > 0 || documented.size !== rows.length)
    problems.push(
      "docs/sizes.md does not show the budgets in force: run node scripts/size-check.mjs --update",
    );
}
if (problems.length > 0) {
  console.error(`\nsize check failed:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(
  `\nsize check passed: ${rows.length} entries within budget, no framework or client where none is needed`,
);
