import { type BenchQuery, CLAIMS } from "./queries.js";

/** One query's measurements in one phase (before or after 019). */
export interface PhaseResult {
  /** The plan's scans; several, separated by " / ", if the runs did not all plan alike. */
  plan: string;
  medianMs: number;
  medianBuffers: number;
}

export interface QueryResult {
  query: BenchQuery;
  before: PhaseResult;
  after: PhaseResult;
}

const ms = (value: number) =>
  value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toFixed(3);

/**
 * How a measured speedup compares with the original's claimed range ("5-10x"). When the plan
 * touched the same number of pages before and after, the work did not change and any time
 * difference is noise: "same work".
 */
export function versusClaim(
  speedup: number,
  claim: string,
  pages: { before: number; after: number },
): string {
  if (pages.before === pages.after) return "same work";
  const range = /^(\d+)-(\d+)x$/.exec(claim);
  if (!range) return "—";
  const [low, high] = [Number(range[1]), Number(range[2])];
  if (speedup < low) return "below";
  return speedup > high ? "above" : "within";
}

/** The results as a Markdown table, one row per query. */
export function formatTable(results: readonly QueryResult[]): string {
  const header = [
    "family (claimed)",
    "query",
    "019 index",
    "plan before",
    "plan after",
    "ms before",
    "ms after",
    "speedup",
    "vs claim",
    "pages before → after",
  ];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const { query, before, after } of results) {
    const claim = CLAIMS[query.family];
    const speedup = before.medianMs / Math.max(after.medianMs, 0.001);
    lines.push(
      `| ${[
        `${query.family} (${claim})`,
        query.name,
        `\`${query.index}\``,
        before.plan,
        after.plan,
        ms(before.medianMs),
        ms(after.medianMs),
        `${speedup.toFixed(1)}x`,
        versusClaim(speedup, claim, { before: before.medianBuffers, after: after.medianBuffers }),
        `${before.medianBuffers} → ${after.medianBuffers}`,
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

/** The queries a later migration fixes: before 019, after 019, and after that migration. */
export function formatFixes(results: readonly (QueryResult & { fixed: PhaseResult })[]): string {
  const header = ["query", "index added", "plan", "ms before 019 → after 019 → after", "pages", "speedup"];
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const { query, before, after, fixed } of results) {
    lines.push(
      `| ${[
        query.name,
        `\`${query.fixedBy?.index}\` (${String(query.fixedBy?.migration).padStart(3, "0")})`,
        fixed.plan,
        `${ms(before.medianMs)} → ${ms(after.medianMs)} → ${ms(fixed.medianMs)}`,
        `${before.medianBuffers} → ${after.medianBuffers} → ${fixed.medianBuffers}`,
        `${(before.medianMs / Math.max(fixed.medianMs, 0.001)).toFixed(1)}x`,
      ].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}
