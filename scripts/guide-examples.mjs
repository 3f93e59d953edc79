// Every code example in the guides is a file under docs/examples/, included with {@includeCode}, and
// this script proves each one still works:
// 1. the guides hold no TypeScript or JavaScript fence of their own (code comes from the files), every
//    {@includeCode} names a file (and region) that exists, and every example file is included;
// 2. the examples type-check with the repository's strict settings (docs/tsconfig.json);
// 3. each example runs with tsx against the package sources (--conditions=@keel/source), with only
//    loopback connections allowed, and must exit 0 within a minute. Its assertions are the test.
//    Examples named *.redis.ts need Redis (REDIS_URL, default 127.0.0.1:6379): without it they are
//    skipped with a loud message, except under CI=true, where that is a failure.
// Usage: node scripts/guide-examples.mjs [name-filter]
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { availableParallelism } from "node:os";
import { join, relative, resolve } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const guidesDir = join(root, "docs", "guides");
const examplesDir = join(root, "docs", "examples");
const filter = process.argv[2];
const started = performance.now();
const problems = [];

// 1. Guides and example files agree.
const included = new Set();
for (const guide of readdirSync(guidesDir).filter((f) => f.endsWith(".md"))) {
  const text = readFileSync(join(guidesDir, guide), "utf8");
  for (const fence of text.matchAll(/^```\s*(\w*)/gm)) {
    if (/^(ts|tsx|typescript|js|javascript|mjs|cjs|jsx)$/i.test(fence[1] ?? "")) {
      problems.push(
        `docs/guides/${guide}: a \`\`\`${fence[1]} fence; put the code in docs/examples/ and {@includeCode} it`,
      );
    }
  }
  for (const tag of text.matchAll(/\{@includeCode\s+([^}#\s]+)(?:#([^}\s]+))?\s*\}/g)) {
    const file = resolve(guidesDir, tag[1]);
    if (!existsSync(file)) {
      problems.push(`docs/guides/${guide}: {@includeCode ${tag[1]}} names no file`);
      continue;
    }
    included.add(file);
    const source = readFileSync(file, "utf8");
    for (const region of tag[2]?.split(",") ?? []) {
      if (!source.includes(`// #region ${region}`) || !source.includes(`// #endregion ${region}`)) {
        problems.push(`docs/guides/${guide}: ${tag[1]} has no region "${region}"`);
      }
    }
  }
}
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith(".ts"))
  .sort();
for (const example of examples) {
  if (!included.has(join(examplesDir, example))) {
    problems.push(`docs/examples/${example} is in no guide: include it with {@includeCode} or delete it`);
  }
}

const run = (args, timeout) =>
  new Promise((done) => {
    execFile(process.execPath, args, { cwd: root, timeout, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      done({ error, output: `${stdout}${stderr}`.trim() }),
    );
  });

function redisReachable() {
  const url = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  return new Promise((done) => {
    const socket = connect(Number(url.port || 6379), url.hostname.replace(/^\[|\]$/g, ""));
    socket.setTimeout(1000, () => {
      socket.destroy();
      done(false);
    });
    socket.once("error", () => done(false));
    socket.once("connect", () => {
      socket.end();
      done(true);
    });
  });
}

// 2. Type-check.
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const typecheck = await run([tsc, "-p", join(root, "docs", "tsconfig.json")], 300_000);
if (typecheck.error) problems.push(`docs/examples do not type-check:\n${typecheck.output}`);
else console.log(`type-checked ${examples.length} examples (docs/tsconfig.json, strict)`);

// 3. Run.
const hasRedis = await redisReachable();
if (!hasRedis) {
  const message = `Redis is not reachable at ${process.env.REDIS_URL ?? "redis://127.0.0.1:6379"}`;
  if (process.env.CI === "true") problems.push(`${message}: CI requires it for the *.redis.ts examples`);
  else console.warn(`\n!!! SKIPPING the *.redis.ts guide examples: ${message}.\n`);
}
const tsx = join(root, "node_modules", "tsx", "dist", "cli.mjs");
const guard = join(root, "scripts", "loopback-only.mjs");
const queue = examples.filter((e) => filter === undefined || e.includes(filter));
let passed = 0;
let skipped = 0;
const failed = [];
async function worker() {
  for (let example = queue.shift(); example !== undefined; example = queue.shift()) {
    if (example.endsWith(".redis.ts") && !hasRedis) {
      skipped += 1;
      continue;
    }
    const file = join(examplesDir, example);
    const start = performance.now();
    const { error, output } = await run(["--import", guard, tsx, "--conditions=@keel/source", file], 60_000);
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    if (error) {
      failed.push(example);
      const why = error.killed ? "did not exit within 60 s" : `exited with ${error.code}`;
      problems.push(`${relative(root, file)} ${why}:\n${output}`);
      console.log(`  FAIL ${example} (${seconds} s)`);
    } else {
      passed += 1;
      console.log(`  ok   ${example} (${seconds} s)`);
    }
  }
}
await Promise.all(Array.from({ length: Math.max(1, Math.min(availableParallelism(), 4)) }, worker));

const total = ((performance.now() - started) / 1000).toFixed(1);
if (problems.length > 0) console.error(`\nguide examples failed:\n  ${problems.join("\n  ")}`);
console.log(`\nguide examples: ${passed} passed, ${failed.length} failed, ${skipped} skipped (${total} s)`);
if (problems.length > 0) process.exit(1);
