/** The measure part of a run: select suites and cases, run each case in its own process, print, write JSON. */
import type { Io, SuiteOutcome } from "../io.js";
import { type BenchOptions, childNodeFlags } from "../options.js";
import { environment, suiteName, writeResults } from "../results.js";
import { selectMeasure } from "../select.js";
import { downServices } from "../services.js";
import { formatMeasureTable, measureRows } from "./report.js";
import { type MeasureOutcome, runMeasureCase } from "./runner.js";
import type { MeasureSuite } from "./suite.js";

/** Runs the measure suites and cases that `options.filters` select. Returns nothing if none match. */
export async function runMeasureSuites(
  all: readonly { file: string; suite: MeasureSuite }[],
  options: BenchOptions,
  io: Io,
): Promise<SuiteOutcome> {
  const needed = all.flatMap(({ suite }) => suite.cases.flatMap((c) => c.requires ?? []));
  const selections = selectMeasure(all, options.filters, await downServices(needed));
  if (selections.length === 0) return { failed: 0 };
  const startedAt = new Date();
  const total = selections.reduce((sum, s) => sum + s.cases.length, 0);
  io.log(`measure: ${selections.length} suites, ${total} cases, each once in its own process`);
  const suites = [];
  let failed = 0;
  for (const selection of selections) {
    const { suite } = selection;
    const outcomes: MeasureOutcome[] = [];
    for (const name of selection.cases) {
      const started = performance.now();
      const outcome = await runMeasureCase(selection, name, childNodeFlags(options));
      outcomes.push(outcome);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if ("error" in outcome) {
        failed++;
        io.log(`[measure ${suite.name}] ${name}: FAILED after ${seconds} s: ${outcome.error}`);
      } else {
        io.log(`[measure ${suite.name}] ${name}: ${JSON.stringify(outcome.result.values)} (${seconds} s)`);
      }
    }
    const results = new Map(outcomes.flatMap((o) => ("result" in o ? [[o.name, o.result] as const] : [])));
    const problems = new Map<string, string>([
      ...selection.skipped.map((s): [string, string] => [s.name, s.reason]),
      ...outcomes.flatMap((o): [string, string][] =>
        "error" in o ? [[o.name, `failed: ${o.error.split("\n")[0]}`]] : [],
      ),
    ]);
    const names = suite.cases
      .map((c) => c.name)
      .filter((name) => selection.cases.includes(name) || problems.has(name));
    const rows = measureRows(suite, names, results, problems);
    io.out(
      `\n### measure: ${suite.name} (${suite.group}): ${suite.title}\n\n${formatMeasureTable(suite, rows)}\n`,
    );
    suites.push({
      name: suite.name,
      group: suite.group,
      title: suite.title,
      file: selection.file,
      skipped: selection.skipped,
      outcomes,
      rows,
    });
  }
  const file = writeResults(options.outDir, suiteName("measure", options.filters), {
    kind: "measure",
    startedAt,
    finishedAt: new Date(),
    environment: environment(),
    options,
    suites,
  });
  return { file, failed };
}
