// Release rehearsal: runs `changeset version` in a throwaway copy of the repository (never in the working
// tree) and checks what a release would publish:
// - each package's version is bumped by the largest bump its changesets ask for (a package whose
//   workspace dependency is bumped gets at least a patch), and private packages stay as they are;
// - each CHANGELOG.md exists, opens the new version, and holds every changeset's text under the heading
//   of its bump ("### Minor Changes"); the changesets are consumed;
// - the manifest pnpm would publish depends on the new versions of its workspace siblings (no
//   `workspace:` left) and carries the publishConfig exports (no `@keel/source` condition).
// Usage: node scripts/changeset-check.mjs
import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const copy = mkdtempSync(join(tmpdir(), "keel-changeset-"));
const BUMPS = ["patch", "minor", "major"];
const HEADINGS = { patch: "Patch Changes", minor: "Minor Changes", major: "Major Changes" };
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));
const run = (cmd, args, cwd) => {
  try {
    return execFileSync(cmd, args, {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20,
    }).toString();
  } catch (error) {
    throw new Error(
      `\`${cmd} ${args.join(" ")}\` failed in ${cwd}:\n${error.stdout ?? ""}${error.stderr ?? ""}`,
    );
  }
};

function bump(version, type) {
  const [major, minor, patch] = version.split(/[.-]/).map(Number);
  if (type === "major") return `${major + 1}.0.0`;
  if (type === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The changesets as `{ file, releases: { name: bump }, lines }`, parsed like changesets does. */
function readChangesets(dir) {
  const changesets = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".md") && f !== "README.md")) {
    const text = readFileSync(join(dir, file), "utf8");
    const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
    if (!match) throw new Error(`.changeset/${file}: no front matter`);
    const releases = {};
    for (const line of match[1].split(/\r?\n/).filter((l) => l.trim() !== "")) {
      const release = /^\s*["']?([^"':]+)["']?\s*:\s*(patch|minor|major)\s*$/.exec(line);
      if (!release) throw new Error(`.changeset/${file}: cannot read "${line}"`);
      releases[release[1]] = release[2];
    }
    const lines = match[2]
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== "");
    if (lines.length === 0) throw new Error(`.changeset/${file}: no text for the CHANGELOG`);
    changesets.push({ file, releases, lines });
  }
  return changesets;
}

/** The workspace's package folders, from the same globs pnpm reads (plain `dir/*` and `dir` only). */
function workspaceDirs(base) {
  const yaml = readFileSync(join(base, "pnpm-workspace.yaml"), "utf8");
  const globs = [...yaml.matchAll(/^\s*-\s*["']?([^"'\n]+?)["']?\s*$/gm)].map((m) => m[1]);
  return globs.flatMap((glob) =>
    glob.endsWith("/*")
      ? readdirSync(join(base, glob.slice(0, -2)), { withFileTypes: true })
          .filter((d) => d.isDirectory() && existsSync(join(base, glob.slice(0, -2), d.name, "package.json")))
          .map((d) => join(glob.slice(0, -2), d.name))
      : [glob],
  );
}

const problems = [];
try {
  // The copy: tracked and untracked-but-not-ignored files (what a commit of this tree would hold).
  const files = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], root)
    .split("\0")
    .filter((f) => f !== "" && existsSync(join(root, f)));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(root, file), join(copy, file));
  }
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules")); // the changesets CLI and its changelog

  const dirs = workspaceDirs(copy);
  const before = new Map(dirs.map((dir) => [dir, readJson(join(copy, dir, "package.json"))]));
  const byName = new Map([...before].map(([dir, pkg]) => [pkg.name, { dir, pkg }]));
  const changesets = readChangesets(join(copy, ".changeset"));
  if (changesets.length === 0) {
    console.log("changeset check: no pending changesets, nothing to release");
    process.exit(0);
  }

  // Expected bumps: the largest asked for, then at least a patch for dependents of a bumped package.
  const expected = new Map();
  for (const { file, releases } of changesets) {
    for (const [name, type] of Object.entries(releases)) {
      if (!byName.has(name)) problems.push(`.changeset/${file}: unknown package ${name}`);
      else if (BUMPS.indexOf(type) > BUMPS.indexOf(expected.get(name) ?? "patch") || !expected.has(name))
        expected.set(name, type);
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, { pkg }] of byName) {
      if (pkg.private || expected.has(name)) continue;
      const deps = Object.entries(pkg.dependencies ?? {});
      if (deps.some(([dep, range]) => expected.has(dep) && String(range).startsWith("workspace:"))) {
        expected.set(name, "patch");
        changed = true;
      }
    }
  }

  run(process.execPath, [join(root, "node_modules", "@changesets", "cli", "bin.js"), "version"], copy);

  const left = readdirSync(join(copy, ".changeset")).filter((f) => f.endsWith(".md") && f !== "README.md");
  if (left.length > 0) problems.push(`changesets not consumed: ${left.join(", ")}`);
  const rows = [];
  for (const [dir, old] of before) {
    const now = readJson(join(copy, dir, "package.json"));
    const type = expected.get(old.name);
    const want = old.private || type === undefined ? old.version : bump(old.version, type);
    if (now.version !== want) problems.push(`${old.name}: version ${now.version}, expected ${want}`);
    if (old.private || type === undefined) continue;
    rows.push(`${old.name.padEnd(20)} ${old.version} -> ${now.version} (${type})`);

    const changelogFile = join(copy, dir, "CHANGELOG.md");
    if (!existsSync(changelogFile)) {
      problems.push(`${old.name}: no CHANGELOG.md`);
      continue;
    }
    const changelog = readFileSync(changelogFile, "utf8");
    const start = changelog.indexOf(`\n## ${now.version}\n`);
    if (!changelog.startsWith(`# ${old.name}\n`) || start === -1) {
      problems.push(`${old.name}: CHANGELOG.md does not open with "# ${old.name}" and "## ${now.version}"`);
      continue;
    }
    const next = changelog.indexOf("\n## ", start + 1);
    const section = changelog.slice(start, next === -1 ? undefined : next);
    const lines = section.split("\n").map((l) => l.trim().replace(/^- /, ""));
    for (const changeset of changesets) {
      const bumpType = changeset.releases[old.name];
      if (bumpType === undefined) continue;
      const heading = section.indexOf(`### ${HEADINGS[bumpType]}`);
      const first = section.indexOf(changeset.lines[0].replace(/^- /, ""));
      if (heading === -1 || first < heading)
        problems.push(`${old.name}: .changeset/${changeset.file} is not under "### ${HEADINGS[bumpType]}"`);
      const lost = changeset.lines.filter((l) => !lines.includes(l.replace(/^- /, "")));
      if (lost.length > 0)
        problems.push(`${old.name}: CHANGELOG.md lacks from ${changeset.file}: "${lost[0]}"`);
    }
  }

  // The manifests pnpm would publish, packed from the copy with its siblings linked as pnpm would.
  const tarballs = join(copy, ".tarballs");
  mkdirSync(tarballs);
  for (const [dir, old] of before) {
    if (old.private) continue;
    const pkgDir = join(copy, dir);
    for (const dep of Object.keys({ ...old.dependencies, ...old.peerDependencies })) {
      const sibling = byName.get(dep);
      if (sibling === undefined) continue;
      mkdirSync(join(pkgDir, "node_modules", dirname(dep)), { recursive: true });
      symlinkSync(join(copy, sibling.dir), join(pkgDir, "node_modules", dep));
    }
    const packed = JSON.parse(run("pnpm", ["pack", "--json", "--pack-destination", tarballs], pkgDir));
    const manifest = JSON.parse(run("tar", ["-xzOf", packed.filename, "package/package.json"], tarballs));
    for (const [dep, range] of Object.entries(manifest.dependencies ?? {})) {
      const sibling = byName.get(dep);
      if (String(range).startsWith("workspace:")) problems.push(`${old.name}: publishes ${dep}@${range}`);
      else if (sibling) {
        const version = readJson(join(copy, sibling.dir, "package.json")).version;
        if (range !== version) problems.push(`${old.name}: publishes ${dep}@${range}, expected ${version}`);
      }
    }
    if (JSON.stringify(manifest.exports) !== JSON.stringify(old.publishConfig?.exports ?? old.exports))
      problems.push(`${old.name}: the published exports are not publishConfig.exports`);
    if (JSON.stringify(manifest).includes('"@keel/source"'))
      problems.push(`${old.name}: the published manifest still has the @keel/source condition`);
  }

  console.log(rows.join("\n"));
  if (problems.length > 0) {
    console.error(`\nchangeset check failed:\n  ${problems.join("\n  ")}`);
    process.exitCode = 1;
  } else {
    console.log(
      `changeset check passed: ${changesets.length} changesets -> ${rows.length} versions, CHANGELOGs and manifests`,
    );
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}
