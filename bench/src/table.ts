/**
 * Plain-text tables, printed as Markdown so a run's output pastes straight into a README.
 * Missing numbers (NaN) print as "n/a", never as 0.
 */

/** One column: its header, how to render a row's cell, and which side to align. */
export interface Column<Row> {
  header: string;
  cell: (row: Row) => string;
  align?: "left" | "right";
}

/** Renders rows as a Markdown table whose columns are padded to line up in a terminal. */
export function formatTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const cells = rows.map((row) => columns.map((column) => column.cell(row)));
  const widths = columns.map((column, i) =>
    Math.max(3, column.header.length, ...cells.map((line) => line[i]!.length)),
  );
  const pad = (text: string, i: number) =>
    columns[i]!.align === "right" ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  const line = (texts: readonly string[]) => `| ${texts.map(pad).join(" | ")} |`;
  const rule = `|${widths.map((width, i) => (columns[i]!.align === "right" ? `${"-".repeat(width + 1)}:` : "-".repeat(width + 2))).join("|")}|`;
  return [line(columns.map((column) => column.header)), rule, ...cells.map(line)].join("\n");
}

const NA = "n/a";

/** A number with `digits` decimals and thousands separators: `12,345.6`. */
export function fixed(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return NA;
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A ratio as a multiplier: `1.03x`. */
export function times(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : NA;
}

/** A difference with its sign always shown: `+1.2`, `-0.4`, `+0.0`. */
export function signed(value: number, digits = 1): string {
  if (!Number.isFinite(value)) return NA;
  const text = Math.abs(value).toFixed(digits);
  return value < 0 && Number(text) !== 0 ? `-${text}` : `+${text}`;
}

/** A lowest-highest span: `133-199`; a single value when they are equal. */
export function spread(min: number, max: number, digits = 0): string {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return NA;
  return fixed(min, digits) === fixed(max, digits)
    ? fixed(min, digits)
    : `${fixed(min, digits)}-${fixed(max, digits)}`;
}
