/** Writing a run's results as JSON under bench/results/, and the machine facts that go with them. */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform } from "node:os";
import { join } from "node:path";

function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return "unknown";
  }
}

/** What the numbers were measured on (and which commit): they mean little without it. */
export function environment(): Record<string, unknown> {
  const cores = cpus();
  return {
    commit: gitCommit(),
    node: process.version,
    platform: platform(),
    arch: arch(),
    cpus: cores.length,
    cpuModel: cores[0]?.model ?? "unknown",
    loadavg: loadavg(),
  };
}

/** The `<suite>` part of a result file: the kind, then the names the run was filtered by. */
export function suiteName(kind: string, filters: readonly string[]): string {
  return [kind, ...filters.filter((filter) => filter !== kind)].join("-");
}

/** The file name for a run: `<suite>-<UTC timestamp>.json`, safe on every filesystem. */
export function resultFileName(suite: string, date: Date): string {
  const safe = suite.replace(/[^a-z0-9-]+/gi, "_");
  return `${safe}-${date.toISOString().replace(/[:.]/g, "-")}.json`;
}

/** Writes `data` as pretty JSON to `<dir>/<suite>-<timestamp>.json` and returns the path. */
export function writeResults(dir: string, suite: string, data: unknown, date = new Date()): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, resultFileName(suite, date));
  writeFileSync(file, `${JSON.stringify(data, (_key, value) => (Number.isNaN(value) ? null : value), 2)}\n`);
  return file;
}
