// Guards the gate itself: coverage thresholds may not be lowered below the project's floor, and the
// number of tests per project may not drop below the recorded floor (deleting a test fails the run).
// Usage: tsx scripts/gate-guard.ts <vitest-json-report>   (update floors with --update)
import { readFileSync, writeFileSync } from "node:fs";
import config from "../vitest.config.js";

const MIN = { lines: 90, branches: 85 };
const floorFile = new URL("../tooling/test-floor.json", import.meta.url);
const problems: string[] = [];

const thresholds =
  (config.test?.coverage as { thresholds?: Record<string, unknown> } | undefined)?.thresholds ?? {};
for (const dir of ["http", "cache", "rate-limiter", "perf-monitor"]) {
  const t = thresholds[`packages/${dir}/src/**`] as { lines?: number; branches?: number } | undefined;
  if (!t || (t.lines ?? 0) < MIN.lines || (t.branches ?? 0) < MIN.branches) {
    problems.push(
      `coverage thresholds for packages/${dir} must be at least ${MIN.lines}% lines and ${MIN.branches}% branches`,
    );
  }
}

interface Report {
  testResults: { name: string; assertionResults: unknown[] }[];
}
const report = JSON.parse(readFileSync(process.argv[2] ?? ".tmp/vitest.json", "utf8")) as Report;
const counts: Record<string, number> = {};
for (const file of report.testResults) {
  // The project a test file belongs to, wherever the checkout lives.
  const project = /\/(packages\/[^/]+|examples\/[^/]+|bench|reliability)\//.exec(file.name)?.[1] ?? "other";
  counts[project] = (counts[project] ?? 0) + file.assertionResults.length;
}

if (process.argv.includes("--update")) {
  writeFileSync(floorFile, `${JSON.stringify(counts, null, 2)}\n`);
  console.log("test floors updated:", counts);
} else {
  const floors = JSON.parse(readFileSync(floorFile, "utf8")) as Record<string, number>;
  for (const [project, floor] of Object.entries(floors)) {
    const count = counts[project] ?? 0;
    if (count < floor)
      problems.push(`${project} has ${count} tests, fewer than its floor of ${floor} (a test was deleted?)`);
  }
  console.log("tests per project:", counts);
}

if (problems.length > 0) {
  for (const p of problems) console.error(`gate guard: ${p}`);
  console.error("If a floor really must move, change it in a reviewed commit (tooling/test-floor.json).");
  process.exit(1);
}
