/** The HTTP part of a run: select, skip what cannot run, measure, summarise, print, write JSON. */
import type { Io, SuiteOutcome } from "../io.js";
import { type BenchOptions, childNodeFlags } from "../options.js";
import { environment, suiteName, writeResults } from "../results.js";
import { blockedBy, httpTables, selectHttp } from "../select.js";
import { downServices } from "../services.js";
import type { HttpEntry } from "./entry.js";
import { formatHttpTable, type HttpTableRow } from "./report.js";
import { runHttp } from "./runner.js";
import { summarizeHttp } from "./summary.js";

/** Runs the HTTP variants of `all` that `options.filters` select. Returns nothing if none match. */
export async function runHttpSuite(
  all: readonly HttpEntry[],
  options: BenchOptions,
  io: Io,
): Promise<SuiteOutcome> {
  const selected = selectHttp(all, options.filters);
  if (selected.length === 0) return { failed: 0 };
  const down = await downServices(selected.flatMap((entry) => entry.requires));
  const skipped = selected.flatMap((entry) => {
    const reason = blockedBy(entry.requires, down);
    return reason ? [{ name: entry.name, reason }] : [];
  });
  const runnable = selected.filter((entry) => !skipped.some((s) => s.name === entry.name));
  const startedAt = new Date();
  io.log(
    `http: ${runnable.length} variants x ${options.rounds} rounds, ${options.durationSec} s each ` +
      `(+${options.warmupSec} s warmup), ${options.connections} connections, seed ${options.seed}`,
  );
  const { samples, failures } = await runHttp(runnable, {
    ...options,
    nodeFlags: childNodeFlags(options),
    log: io.log,
  });
  const rows = summarizeHttp(selected, samples);
  const tableRows = rows.map((row): HttpTableRow => {
    const failedRounds = failures.filter((f) => f.name === row.name).length;
    const problem =
      skipped.find((s) => s.name === row.name)?.reason ??
      (failedRounds > 0 ? `failed in ${failedRounds} of ${options.rounds} rounds` : undefined);
    return problem === undefined ? row : { ...row, problem };
  });
  for (const table of httpTables(selected)) {
    const names = new Set(table.entries.map((entry) => entry.name));
    io.out(
      `\n### HTTP: ${table.group}\n\n${formatHttpTable(tableRows.filter((row) => names.has(row.name)))}\n`,
    );
  }
  for (const failure of failures)
    io.out(`\nFAILED ${failure.name} (round ${failure.round + 1}):\n${failure.message}\n`);
  const file = writeResults(options.outDir, suiteName("http", options.filters), {
    kind: "http",
    startedAt,
    finishedAt: new Date(),
    environment: environment(),
    options,
    entries: selected,
    skipped,
    failures,
    samples,
    rows,
  });
  return { file, failed: failures.length };
}
