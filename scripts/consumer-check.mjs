// Packaging proof: packs every package as pnpm publishes it, then installs the tarballs into fresh
// projects outside the workspace, as users would:
//   npm        tarballs + the optional peers (frameworks, Redis clients, vitest, @opentelemetry/api)
//   pnpm       the same, in pnpm's isolated node_modules (an undeclared import fails here, not on npm)
//   pnpm-bare  tarballs only: each package's main entry must load and type-check with no peer at all
// In each project every entry is imported with ESM `import` and CJS `require` (both must export the
// same non-empty set of names), and a TypeScript consumer compiles under moduleResolution node16 and
// bundler with skipLibCheck off. The one exception: a `/testing` entry (the store conformance kits) is
// ESM-only in practice, because vitest refuses `require()`; there the check asserts that CJS fails with
// vitest's own message rather than anything of ours.
// Usage: node scripts/consumer-check.mjs [npm|pnpm|pnpm-bare ...]
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const root = new URL("..", import.meta.url).pathname;
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const typesNode = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies["@types/node"];
const work = mkdtempSync(join(tmpdir(), "keel-consumer-"));
const wanted = process.argv.slice(2);
function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20,
    }).toString();
  } catch (error) {
    const output = `${error.stdout ?? ""}${error.stderr ?? ""}`.trim();
    throw new Error(`\`${cmd} ${args.join(" ")}\` failed in ${cwd}:\n${output}`);
  }
}
let lap = performance.now();
/** Seconds since the previous call: each line says what its own step cost. */
function seconds() {
  const now = performance.now();
  const text = `${((now - lap) / 1000).toFixed(1)} s`;
  lap = now;
  return text;
}
const started = performance.now();

/** Every published entry, and the peers a user of the package installs (at the versions we test with). */
function readPackages(tarballs) {
  const packages = [];
  for (const dir of readdirSync(join(root, "packages")).sort()) {
    const pkgDir = join(root, "packages", dir);
    const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
    const before = new Set(readdirSync(tarballs));
    run("pnpm", ["pack", "--pack-destination", tarballs], pkgDir);
    const tarball = readdirSync(tarballs).find((f) => !before.has(f));
    if (tarball === undefined) throw new Error(`pnpm pack produced no tarball for ${pkg.name}`);
    const entries = Object.keys(pkg.publishConfig.exports)
      .filter((subpath) => subpath !== "./package.json")
      .map((subpath) => (subpath === "." ? pkg.name : `${pkg.name}${subpath.slice(1)}`));
    const peers = {};
    for (const name of Object.keys(pkg.peerDependencies ?? {})) {
      for (const dep of [name, `@types/${name.replace(/^@(.*)\//, "$1__")}`]) {
        const version = pkg.devDependencies?.[dep] ?? (dep === "vitest" ? rootDev("vitest") : undefined);
        if (version !== undefined) peers[dep] = version;
        else if (dep === name)
          throw new Error(`${pkg.name}: peer ${name} has no pinned devDependency to test with`);
      }
    }
    packages.push({ name: pkg.name, tarball: join(tarballs, tarball), entries, peers });
  }
  return packages;
}

function rootDev(name) {
  return JSON.parse(readFileSync(join(root, "package.json"), "utf8")).devDependencies[name];
}

/**
 * A few calls into each main entry, run from ESM and from CJS: the builds must work, not just load.
 * `m` is the entry's namespace; each returns a promise of true.
 */
const SMOKE = {
  "@keel/http": `async (m) => m.normalizeIp("::ffff:192.0.2.1") === "192.0.2.1"`,
  "@keel/cache": `async (m) => {
    const cache = m.createCache();
    let calls = 0;
    const load = async () => ++calls;
    const [a, b] = await Promise.all([cache.getOrSet("k", load, 60), cache.getOrSet("k", load, 60)]);
    await cache.close();
    return a === 1 && b === 1 && calls === 1;
  }`,
  "@keel/rate-limiter": `async (m) => {
    const limiter = m.createRateLimiter({ limit: 1, window: 60 });
    const first = await limiter.check("k");
    const second = await limiter.check("k");
    await limiter.close();
    return first.allowed && !second.allowed && second.retryAfter > 0;
  }`,
  "@keel/perf-monitor": `async (m) => {
    const monitor = m.createMonitor();
    monitor.record("op", 2);
    return monitor.getMetrics("op").count === 1 && m.toPrometheus({ source: monitor }).includes("keel_duration_seconds");
  }`,
};
const smokeSource = (entries) =>
  `const smoke = {${entries
    .filter((e) => SMOKE[e] !== undefined)
    .map((e) => `${JSON.stringify(e)}: ${SMOKE[e]}`)
    .join(",\n")}};`;

/** Writes the ESM, CJS and TypeScript consumers for `entries` and runs them in `app`. */
function checkEntries(label, app, entries) {
  const list = JSON.stringify(entries);
  writeFileSync(
    join(app, "esm.mjs"),
    `${smokeSource(entries)}
const names = {};
for (const entry of ${list}) {
  const ns = await import(entry);
  const keys = Object.keys(ns).filter((k) => k !== "default").sort();
  if (keys.length === 0) throw new Error(\`\${entry} exports nothing under ESM\`);
  if (smoke[entry] && !(await smoke[entry](ns))) throw new Error(\`\${entry} misbehaves under ESM\`);
  names[entry] = keys;
}
process.stdout.write(JSON.stringify(names));
`,
  );
  writeFileSync(
    join(app, "cjs.cjs"),
    `${smokeSource(entries)}
(async () => {
const names = {};
for (const entry of ${list}) {
  if (entry.endsWith("/testing")) {
    try {
      require(entry);
    } catch (error) {
      if (/Vitest cannot be imported in a CommonJS module/.test(String(error))) continue;
      throw error;
    }
    throw new Error(\`\${entry} loaded under CJS although it imports vitest (ESM-only)\`);
  }
  const ns = require(entry);
  const keys = Object.keys(ns).filter((k) => k !== "default" && k !== "__esModule").sort();
  if (keys.length === 0) throw new Error(\`\${entry} exports nothing under CJS\`);
  if (smoke[entry] && !(await smoke[entry](ns))) throw new Error(\`\${entry} misbehaves under CJS\`);
  names[entry] = keys;
}
process.stdout.write(JSON.stringify(names));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`,
  );
  const esm = JSON.parse(run("node", ["esm.mjs"], app));
  const cjs = JSON.parse(run("node", ["cjs.cjs"], app));
  for (const entry of entries) {
    if (entry.endsWith("/testing")) continue; // CJS is asserted to fail with vitest's message above
    const a = esm[entry].join(",");
    const b = cjs[entry].join(",");
    if (a !== b) throw new Error(`${label}: ${entry} exports differ\n  ESM: ${a}\n  CJS: ${b}`);
  }
  const exports = entries.reduce((n, e) => n + esm[e].length, 0);
  console.log(
    `  ${label}: ESM import and CJS require of ${entries.length} entries agree, main entries work (${exports} exports, ${seconds()})`,
  );

  const ts = entries
    .map((s, i) => `import * as t${i} from ${JSON.stringify(s)};\nexport { t${i} };`)
    .join("\n");
  writeFileSync(join(app, "consumer.mts"), `${ts}\n`);
  writeFileSync(join(app, "consumer.cts"), `${ts}\n`);
  // The compilations are the slow part: queue them and run them in parallel at the end.
  for (const [module, moduleResolution] of [
    ["node16", "node16"],
    ["preserve", "bundler"],
  ]) {
    const args = ["--noEmit", "--strict", "--skipLibCheck", "false", "--types", "node", "--module", module];
    args.push("--moduleResolution", moduleResolution, "--target", "es2022", "consumer.mts", "consumer.cts");
    compilations.push({ label: `${label} (${moduleResolution})`, app, args });
  }
}

const compilations = [];

/** Runs the queued TypeScript consumers, a few at a time; only errors in our declarations fail. */
async function compileAll() {
  const queue = [...compilations];
  const worker = async () => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      const jobStart = performance.now();
      const errors = await typeErrors(job.app, job.args);
      const ours = errors.filter((e) => e.startsWith("consumer.") || e.includes("node_modules/@keel/"));
      if (ours.length > 0) throw new Error(`${job.label}:\n${ours.join("\n")}`);
      const took = ((performance.now() - jobStart) / 1000).toFixed(1);
      console.log(`  ${job.label}: TypeScript consumer compiles, skipLibCheck off (${took} s)`);
      // Declarations of other packages are not ours to fix; say so rather than hide it.
      if (errors.length > 0)
        console.log(`    note, not ours: ${errors.length} error(s), first: ${errors[0]}`);
    }
  };
  const width = Math.max(1, Math.min(availableParallelism(), 4));
  await Promise.all(Array.from({ length: width }, worker));
}

/** tsc's error lines (`file(line,col): error TS...`), and a thrown error if tsc failed without any. */
async function typeErrors(app, args) {
  try {
    await promisify(execFile)(process.execPath, [tsc, ...args], { cwd: app, maxBuffer: 64 << 20 });
    return [];
  } catch (error) {
    const lines = `${error.stdout ?? ""}`.split("\n").filter((line) => /^\S.*\(\d+,\d+\): error /.test(line));
    if (lines.length === 0) throw new Error(`tsc failed in ${app}:\n${error.stdout}${error.stderr}`);
    return lines;
  }
}

function newApp(name) {
  const app = join(work, name);
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: `consumer-${name}`, private: true, version: "1.0.0" }, null, 2),
  );
  return app;
}

const installers = {
  npm(packages) {
    const app = newApp("npm");
    const peers = Object.entries(Object.assign({}, ...packages.map((p) => p.peers)));
    const args = ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];
    args.push(...packages.map((p) => p.tarball), `@types/node@${typesNode}`);
    args.push(...peers.map(([name, version]) => `${name}@${version}`));
    run("npm", args, app);
    return { app, entries: packages.flatMap((p) => p.entries) };
  },
  pnpm(packages, { bare = false } = {}) {
    const app = newApp(bare ? "pnpm-bare" : "pnpm");
    // The tarballs depend on each other by version; point those at the local tarballs, never a registry.
    const overrides = packages.map((p) => `  "${p.name}": "file:${p.tarball}"`).join("\n");
    writeFileSync(
      join(app, "pnpm-workspace.yaml"),
      `packages: []\noverrides:\n${overrides}\nallowBuilds:\n  esbuild: false\n`,
    );
    const peers = bare ? [] : Object.entries(Object.assign({}, ...packages.map((p) => p.peers)));
    const args = ["add", "--prefer-offline", "--reporter=silent", ...packages.map((p) => p.tarball)];
    args.push(`@types/node@${typesNode}`, ...peers.map(([name, version]) => `${name}@${version}`));
    run("pnpm", args, app);
    return { app, entries: bare ? packages.map((p) => p.name) : packages.flatMap((p) => p.entries) };
  },
  "pnpm-bare"(packages) {
    return installers.pnpm(packages, { bare: true });
  },
};

try {
  const tarballs = join(work, "tarballs");
  mkdirSync(tarballs);
  const packages = readPackages(tarballs);
  console.log(`packed ${packages.length} tarballs (${seconds()})`);
  for (const name of wanted.length > 0 ? wanted : Object.keys(installers)) {
    const install = installers[name];
    if (install === undefined) throw new Error(`unknown project "${name}": use npm, pnpm or pnpm-bare`);
    const { app, entries } = install(packages);
    console.log(`${name}: installed (${seconds()})`);
    checkEntries(name, app, entries);
  }
  await compileAll();
  console.log(`consumer check passed (${((performance.now() - started) / 1000).toFixed(1)} s in all)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
