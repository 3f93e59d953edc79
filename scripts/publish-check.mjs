// What `pnpm publish -r` would upload: runs it with --dry-run (--no-git-checks, so a dirty tree or
// another branch does not stop it) and checks each package's file list. A tarball may hold only dist/**,
// README.md, LICENSE and package.json; it must hold all four, and every file its exports map points at.
// Each package keeps its own copy of the root LICENSE (pnpm would add the root one to a package without
// any, npm would not); the copies must not drift from the root's.
// Usage: node scripts/publish-check.mjs
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const allowed = (path) => path.startsWith("dist/") || ["README.md", "LICENSE", "package.json"].includes(path);
const required = ["README.md", "LICENSE", "package.json"];

let output;
try {
  output = execFileSync("pnpm", ["publish", "-r", "--dry-run", "--no-git-checks", "--json"], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 << 20,
  }).toString();
} catch (error) {
  console.error(`pnpm publish -r --dry-run failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  process.exit(1);
}
const published = JSON.parse(output);
if (!Array.isArray(published))
  throw new Error(`unexpected pnpm publish --json output: ${output.slice(0, 500)}`);

/** Every file an exports map (or main/module/types) points at, without the leading "./". */
function targets(pkg) {
  const found = new Set();
  const walk = (value) => {
    if (typeof value === "string") found.add(value.replace(/^\.\//, ""));
    else if (value !== null && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(pkg.publishConfig?.exports ?? pkg.exports);
  for (const field of ["main", "module", "types"]) if (pkg[field]) walk(pkg[field]);
  return found;
}

const problems = [];
const names = new Set();
for (const dir of readdirSync(join(root, "packages")).sort()) {
  const pkg = JSON.parse(readFileSync(join(root, "packages", dir, "package.json"), "utf8"));
  if (pkg.private) continue;
  names.add(pkg.name);
  const license = join(root, "packages", dir, "LICENSE");
  if (!existsSync(license) || readFileSync(license, "utf8") !== readFileSync(join(root, "LICENSE"), "utf8"))
    problems.push(`${pkg.name}: packages/${dir}/LICENSE is missing or differs from the root LICENSE`);
  const entry = published.find((p) => p.name === pkg.name);
  if (entry === undefined) {
    problems.push(`${pkg.name}: not in the dry-run publish (is its version already on the registry?)`);
    continue;
  }
  const files = entry.files.map((f) => f.path);
  const extra = files.filter((f) => !allowed(f));
  const missing = [...required, ...targets(pkg)].filter((f) => !files.includes(f));
  if (extra.length > 0)
    problems.push(`${pkg.name}: files outside dist/, README, LICENSE: ${extra.join(", ")}`);
  if (missing.length > 0) problems.push(`${pkg.name}: missing from the tarball: ${missing.join(", ")}`);
  const dist = files.filter((f) => f.startsWith("dist/")).length;
  console.log(
    `${entry.id.padEnd(26)} ${String(entry.entryCount).padStart(3)} files (${dist} in dist/), ` +
      `${(entry.size / 1024).toFixed(1)} KiB packed, ${(entry.unpackedSize / 1024).toFixed(1)} KiB unpacked`,
  );
}
for (const entry of published) {
  if (!names.has(entry.name)) problems.push(`${entry.name}: published but not a package under packages/`);
}
if (problems.length > 0) {
  console.error(`\npublish check failed:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(
  `publish check passed: ${names.size} packages hold only dist/**, README.md, LICENSE, package.json`,
);
