import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../lib/child.js";
import type { Report } from "../lib/report.js";

/** What one script run produced: its exit code and the checks of its report. */
export interface ScriptRun {
  readonly exit: number;
  readonly report: Report | undefined;
  readonly failed: readonly string[];
  readonly output: string;
}

/** Runs `reliability/<script>` with `args`, its report written to a temp dir; bounded by `limitMs`. */
export function runScript(
  script: string,
  args: readonly string[],
  reportName: string,
  limitMs = 150_000,
): Promise<ScriptRun> {
  const dir = mkdtempSync(join(tmpdir(), "keel-reliability-"));
  return new Promise((resolve) => {
    const child = spawn(
      `${ROOT}node_modules/.bin/tsx`,
      ["--conditions=@keel/source", `${ROOT}reliability/${script}`, ...args],
      {
        cwd: ROOT,
        env: { ...process.env, RELIABILITY_RESULTS: dir },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output = `${output}${chunk.toString()}`.slice(-20_000);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      let report: Report | undefined;
      try {
        report = JSON.parse(readFileSync(join(dir, `${reportName}.json`), "utf8")) as Report;
      } catch {
        report = undefined;
      }
      rmSync(dir, { recursive: true, force: true });
      const failed = report?.checks.filter((c) => !c.pass).map((c) => `${c.name}: ${c.detail}`) ?? [
        "no report",
      ];
      resolve({ exit: code ?? 1, report, failed, output });
    });
  });
}
