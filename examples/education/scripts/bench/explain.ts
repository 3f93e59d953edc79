import type { Database } from "../../src/db/database.js";

/** The part of a PostgreSQL JSON plan node this benchmark reads. */
export interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

/** One EXPLAIN (ANALYZE, BUFFERS) run. */
export interface Measurement {
  /** The scans the plan used, e.g. "Seq Scan" or "Index Scan idx_users_email". */
  plan: string;
  /** Execution time reported by EXPLAIN ANALYZE, in milliseconds (planning excluded). */
  ms: number;
  /** 8 KiB pages the whole plan touched (shared hit + read): independent of machine load. */
  buffers: number;
}

const SKIPPED = new Set(["Function Scan", "Subquery Scan", "CTE Scan", "Values Scan", "Result"]);

/**
 * Names the scans of a plan, outermost first, without repeats: `Seq Scan`, `Index Scan <index>`,
 * `Index Only Scan <index>`, `Bitmap <index>` (a bitmap heap scan over that index).
 */
export function summarizePlan(root: PlanNode): string {
  const scans: string[] = [];
  const visit = (node: PlanNode) => {
    const type = node["Node Type"];
    if (type === "Bitmap Index Scan") scans.push(`Bitmap ${node["Index Name"]}`);
    else if (type.endsWith("Scan") && type !== "Bitmap Heap Scan" && !SKIPPED.has(type)) {
      scans.push(node["Index Name"] ? `${type} ${node["Index Name"]}` : type);
    }
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(root);
  return [...new Set(scans)].join(" + ") || root["Node Type"];
}

class Rollback extends Error {
  constructor(readonly result: unknown) {
    super("rollback");
  }
}

/**
 * Runs `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` on a statement; with `rollback`, inside a
 * transaction that is rolled back, so a measured DELETE changes nothing.
 */
export async function explain(
  db: Database,
  sql: string,
  params: readonly unknown[],
  rollback = false,
): Promise<Measurement> {
  const statement = `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`;
  let output: unknown;
  if (rollback) {
    output = await db
      .transaction(async (tx) => {
        throw new Rollback((await tx.query(statement, params)).rows);
      })
      .catch((error: unknown) => {
        if (error instanceof Rollback) return error.result;
        throw error;
      });
  } else {
    output = (await db.query(statement, params)).rows;
  }
  const rows = output as { "QUERY PLAN": [{ Plan: PlanNode; "Execution Time": number }] }[];
  const [{ Plan: plan, "Execution Time": ms }] = rows[0]!["QUERY PLAN"];
  return {
    plan: summarizePlan(plan),
    ms,
    buffers: (plan["Shared Hit Blocks"] ?? 0) + (plan["Shared Read Blocks"] ?? 0),
  };
}

/** The middle value (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
