/** The measure tables: one per suite, the suite's own columns, and a ratio to the baseline if it names one. */
import { type Column, fixed, formatTable, times } from "../table.js";
import type { MeasureSuite } from "./suite.js";

/** One case's row: its values (empty when it did not run), and what the note column says. */
export interface MeasureRow {
  name: string;
  values: Record<string, number>;
  /** Value ÷ the baseline's value on the suite's `compare` column (NaN without one). */
  ratio: number;
  note: string;
}

/** Renders one suite's rows. */
export function formatMeasureTable(suite: MeasureSuite, rows: readonly MeasureRow[]): string {
  const compared = suite.columns.find((column) => column.key === suite.compare);
  const columns: Column<MeasureRow>[] = [
    { header: "case", cell: (row) => row.name },
    ...suite.columns.map(
      (column): Column<MeasureRow> => ({
        header: column.header,
        align: "right",
        cell: (row) => fixed(row.values[column.key] ?? Number.NaN, column.digits ?? 0),
      }),
    ),
    ...(compared && suite.baseline
      ? [
          {
            header: `${compared.header} vs base`,
            align: "right" as const,
            cell: (row: MeasureRow) => times(row.ratio),
          },
        ]
      : []),
    { header: "note", cell: (row) => row.note },
  ];
  return formatTable(columns, rows);
}

/** Rows in the suite's case order, with ratios to the baseline and notes (baseline, skips, failures). */
export function measureRows(
  suite: MeasureSuite,
  names: readonly string[],
  results: ReadonlyMap<string, { values: Record<string, number>; note?: string }>,
  problems: ReadonlyMap<string, string>,
): MeasureRow[] {
  const base =
    suite.baseline && suite.compare ? results.get(suite.baseline)?.values[suite.compare] : undefined;
  return names.map((name) => {
    const result = results.get(name);
    const value = suite.compare ? result?.values[suite.compare] : undefined;
    const notes = [
      name === suite.baseline ? "baseline" : "",
      result?.note ?? "",
      problems.get(name) ?? "",
    ].filter(Boolean);
    return {
      name,
      values: result?.values ?? {},
      ratio: value !== undefined && base !== undefined && base !== 0 ? value / base : Number.NaN,
      note: notes.join("; "),
    };
  });
}
