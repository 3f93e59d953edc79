// Results of a reliability run: one JSON file with every figure and one Markdown table per section,
// under reliability/results/ (the latest run of each script, plus a timestamped copy).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { ROOT } from "./child.js";

/** Where reports go: reliability/results/, or RELIABILITY_RESULTS (the CI tests write to a temp dir). */
export const RESULTS = process.env.RELIABILITY_RESULTS
  ? `${process.env.RELIABILITY_RESULTS.replace(/\/$/, "")}/`
  : `${ROOT}reliability/results/`;

export interface Check {
  readonly name: string;
  readonly pass: boolean;
  readonly detail: string;
}

export interface Section {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | boolean)[])[];
  readonly notes?: readonly string[];
}

export interface Report {
  readonly script: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly machine: { readonly node: string; readonly cpus: number };
  readonly checks: readonly Check[];
  readonly sections: readonly Section[];
  readonly data: unknown;
}

export function machine(): Report["machine"] {
  return { node: process.version, cpus: cpus().length };
}

export function markdown(report: Report): string {
  const lines = [
    `## ${report.script}`,
    "",
    `${report.startedAt}, ${(report.durationMs / 1000).toFixed(1)} s, Node ${report.machine.node}, ${report.machine.cpus} cores`,
    "",
  ];
  for (const section of report.sections) {
    lines.push(
      `### ${section.title}`,
      "",
      `| ${section.columns.join(" | ")} |`,
      `|${section.columns.map(() => "---").join("|")}|`,
    );
    for (const row of section.rows) lines.push(`| ${row.map((cell) => String(cell)).join(" | ")} |`);
    for (const note of section.notes ?? []) lines.push("", note);
    lines.push("");
  }
  lines.push("### Checks", "", "| check | result | detail |", "|---|---|---|");
  for (const check of report.checks)
    lines.push(`| ${check.name} | ${check.pass ? "pass" : "**FAIL**"} | ${check.detail} |`);
  lines.push("");
  return lines.join("\n");
}

/** Writes JSON as the repository's formatter (biome) lays it out, so a committed report passes `biome ci`. */
export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  spawnSync(`${ROOT}node_modules/.bin/biome`, ["format", "--write", path], { stdio: "ignore" });
}

/** Writes `<script>.json` and `<script>.md` (latest) and prints the Markdown. */
export function writeReport(report: Report): void {
  mkdirSync(RESULTS, { recursive: true });
  writeJson(`${RESULTS}${report.script}.json`, report);
  const text = markdown(report);
  writeFileSync(`${RESULTS}${report.script}.md`, text);
  console.log(text);
}

/** Reads `--name value` and `--flag` arguments. */
export function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const value = process.argv[i + 1];
  return value === undefined || value.startsWith("--") ? "true" : value;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
