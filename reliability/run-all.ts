// `pnpm run test:reliability`: every reliability script in turn, each bounded in time, then one
// summary (Markdown and JSON) of their checks under reliability/results/. Exits non-zero when any
// check failed. Flags: --quick (the short versions), --soak <seconds> (default 60 per store).
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { ROOT } from "./lib/child.js";
import { flag, RESULTS, type Report, writeJson } from "./lib/report.js";

const quick = flag("quick") !== undefined;
const soakSeconds = flag("soak") ?? (quick ? "10" : "60");
const q = quick ? ["--quick"] : [];
const runs: { script: string; args: string[]; report: string; limitMs: number }[] = [
  { script: "faults.ts", args: q, report: quick ? "faults-quick" : "faults", limitMs: 5 * 60_000 },
  {
    script: "app-faults.ts",
    args: q,
    report: quick ? "app-faults-quick" : "app-faults",
    limitMs: 8 * 60_000,
  },
  { script: "instances.ts", args: q, report: quick ? "instances-quick" : "instances", limitMs: 6 * 60_000 },
  {
    script: "soak.ts",
    args: ["--duration", soakSeconds, ...(quick ? ["--keys", "500"] : [])],
    report: "soak",
    limitMs: (Number(soakSeconds) * 2 + 240) * 1000,
  },
];

function run(script: string, args: string[], limitMs: number): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(
      `${ROOT}node_modules/.bin/tsx`,
      ["--conditions=@keel/source", `${ROOT}reliability/${script}`, ...args],
      {
        cwd: ROOT,
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    const timer = setTimeout(() => {
      console.error(`${script} ran past ${limitMs / 1000} s: stopping it`);
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
    }, limitMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

const started = Date.now();
const summary: { script: string; exit: number; seconds: number; passed: number; failed: string[] }[] = [];
for (const { script, args, report, limitMs } of runs) {
  const t0 = Date.now();
  const exit = await run(script, args, limitMs);
  let checks: Report["checks"] = [];
  try {
    checks = (JSON.parse(readFileSync(`${RESULTS}${report}.json`, "utf8")) as Report).checks;
  } catch {
    checks = [{ name: `${script} wrote no report`, pass: false, detail: `exit ${exit}` }];
  }
  summary.push({
    script,
    exit,
    seconds: Math.round((Date.now() - t0) / 1000),
    passed: checks.filter((c) => c.pass).length,
    failed: checks.filter((c) => !c.pass).map((c) => `${c.name} (${c.detail})`),
  });
}

const lines = [
  "# Reliability run",
  "",
  `${new Date(started).toISOString()}, ${Math.round((Date.now() - started) / 1000)} s${quick ? " (quick)" : ""}`,
  "",
  "| script | exit | seconds | checks passed | checks failed |",
  "|---|---|---|---|---|",
  ...summary.map(
    (s) =>
      `| ${s.script} | ${s.exit} | ${s.seconds} | ${s.passed} | ${s.failed.length === 0 ? "none" : s.failed.join("<br>")} |`,
  ),
  "",
  "Details: the per-script reports beside this file.",
  "",
];
writeFileSync(`${RESULTS}summary.md`, lines.join("\n"));
writeJson(`${RESULTS}summary.json`, { startedAt: new Date(started).toISOString(), quick, summary });
console.log(lines.join("\n"));
process.exit(summary.every((s) => s.exit === 0 && s.failed.length === 0) ? 0 : 1);
