/** The micro tables: one per suite, every case against the suite's baseline. */
import { type Column, fixed, formatTable, spread, times } from "../table.js";
import type { MicroRow } from "./summary.js";

const columns: Column<MicroRow>[] = [
  { header: "case", cell: (row) => row.name },
  { header: "ops/s", align: "right", cell: (row) => fixed(row.opsPerSec) },
  { header: "ns/op", align: "right", cell: (row) => fixed(row.nsPerOp, 1) },
  { header: "ns/op range", align: "right", cell: (row) => spread(row.nsRange.min, row.nsRange.max, 0) },
  { header: "time vs base", align: "right", cell: (row) => times(row.timeRatio) },
  { header: "heap B/op", align: "right", cell: (row) => fixed(row.heapBytesPerOp, 0) },
  {
    header: "note",
    cell: (row) => [row.baseline ? "baseline" : "", row.note ?? ""].filter(Boolean).join("; "),
  },
];

/** Renders one suite's rows. */
export function formatMicroTable(rows: readonly MicroRow[]): string {
  return formatTable(columns, rows);
}
