/** The micro part of a run: select suites and cases, run each suite in its own process, print, write JSON. */
import type { Io, SuiteOutcome } from "../io.js";
import { type BenchOptions, childNodeFlags } from "../options.js";
import { environment, suiteName, writeResults } from "../results.js";
import { selectMicro } from "../select.js";
import { downServices } from "../services.js";
import { formatMicroTable } from "./report.js";
import { runMicroSuite } from "./runner.js";
import type { MicroSuite } from "./suite.js";
import { summarizeMicro } from "./summary.js";

/** Runs the micro suites and cases that `options.filters` select. Returns nothing if none match. */
export async function runMicroSuites(
  all: readonly { file: string; suite: MicroSuite }[],
  options: BenchOptions,
  io: Io,
): Promise<SuiteOutcome> {
  const needed = all.flatMap(({ suite }) => suite.cases.flatMap((c) => c.requires ?? []));
  const selections = selectMicro(all, options.filters, await downServices(needed));
  if (selections.length === 0) return { failed: 0 };
  const startedAt = new Date();
  io.log(
    `micro: ${selections.length} suites x ${options.rounds} rounds, ${options.minCpuMs} ms per case, seed ${options.seed}`,
  );
  const results = [];
  let failed = 0;
  for (const selection of selections) {
    const { suite } = selection;
    const result = await runMicroSuite(selection, {
      ...options,
      nodeFlags: childNodeFlags(options),
      log: io.log,
    });
    failed += result.failures.length;
    const notes = new Map<string, string>([
      ...selection.skipped.map((s): [string, string] => [s.name, s.reason]),
      ...result.failures.map((f): [string, string] => [f.name, `failed: ${f.message}`]),
    ]);
    const names = [...selection.cases, ...selection.skipped.map((s) => s.name)];
    const ordered = [suite.baseline, ...names.filter((name) => name !== suite.baseline)];
    const rows = summarizeMicro(ordered, suite.baseline, result.samples, notes);
    io.out(`\n### micro: ${suite.name} (${suite.group}): ${suite.title}\n\n${formatMicroTable(rows)}\n`);
    results.push({
      ...suite,
      cases: names,
      file: selection.file,
      skipped: selection.skipped,
      ...result,
      rows,
    });
  }
  const file = writeResults(options.outDir, suiteName("micro", options.filters), {
    kind: "micro",
    startedAt,
    finishedAt: new Date(),
    environment: environment(),
    options,
    suites: results,
  });
  return { file, failed };
}
