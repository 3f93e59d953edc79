/** The HTTP tables: one per group, each entry next to the baseline it is compared with. */
import { type Column, fixed, formatTable, signed, spread, times } from "../table.js";
import type { HttpRow } from "./summary.js";

/** A row plus what the table notes about it. */
export interface HttpTableRow extends HttpRow {
  /** Set when some rounds failed or the entry was skipped. */
  problem?: string;
}

function note(row: HttpTableRow): string {
  const parts: string[] = [];
  if (row.control) parts.push("A/A control");
  if (row.baseline === row.name) parts.push("root baseline");
  if (row.bad > 0) parts.push(`${fixed(row.bad)} non-2xx or errors`);
  if (row.problem) parts.push(row.problem);
  return parts.join("; ");
}

/** Renders one group's rows; counter columns appear when some variant in the group reports counters. */
export function formatHttpTable(rows: readonly HttpTableRow[]): string {
  const counters = [...new Set(rows.flatMap((row) => Object.keys(row.countersPerRequest)))].sort();
  const columns: Column<HttpTableRow>[] = [
    { header: "variant", cell: (row) => row.name },
    { header: "vs", cell: (row) => row.baseline },
    { header: "req/s", align: "right", cell: (row) => fixed(row.rps) },
    { header: "req/s vs", align: "right", cell: (row) => times(row.rpsRatio) },
    { header: "p99 ms", align: "right", cell: (row) => fixed(row.p99Ms, 2) },
    { header: "Δp99 ms", align: "right", cell: (row) => signed(row.p99DiffMs, 2) },
    { header: "CPU µs/req", align: "right", cell: (row) => fixed(row.cpuMicrosPerRequest, 1) },
    { header: "CPU range", align: "right", cell: (row) => spread(row.cpuRange.min, row.cpuRange.max, 0) },
    { header: "ΔCPU µs/req", align: "right", cell: (row) => signed(row.cpuDiffMicros, 1) },
    ...counters.map(
      (counter): Column<HttpTableRow> => ({
        header: `${counter}/req`,
        align: "right",
        cell: (row) => fixed(row.countersPerRequest[counter] ?? Number.NaN, 2),
      }),
    ),
    { header: "note", cell: note },
  ];
  return formatTable(columns, rows);
}
