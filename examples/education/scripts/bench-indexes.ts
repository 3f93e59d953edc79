// pnpm --filter education bench:indexes [--target pglite|postgres] [--users N] [--runs N] [--keep]
//
// Measures what migration 019 changes: schema up to 018, generated data, VACUUM ANALYZE, each
// query family with EXPLAIN (ANALYZE, BUFFERS) several times; then 019, ANALYZE, the same
// queries with the same parameters again; then the later migrations and the queries they fix.
// Prints Markdown tables (stdout) and progress (stderr).
// On PostgreSQL it works in a schema of its own (DATABASE_URL, default the test server's),
// dropped at the end unless --keep.
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import type { Database } from "../src/db/database.js";
import { migrate } from "../src/db/migrate.js";
import { createPgliteDatabase } from "../src/db/pglite.js";
import { createPostgresDatabase } from "../src/db/postgres.js";
import { analyzeSchema, generateData } from "../src/seed/generate.js";
import { explain, median } from "./bench/explain.js";
import { BENCH_QUERIES, type BenchQuery } from "./bench/queries.js";
import { formatFixes, formatTable, type PhaseResult, type QueryResult } from "./bench/report.js";

// Sized so that a run, data generation included, stays within a few minutes on 2 shared cores.
const DEFAULT_USERS = { postgres: 50_000, pglite: 10_000 };

const { values } = parseArgs({
  options: {
    target: { type: "string" },
    users: { type: "string" },
    runs: { type: "string", default: "7" },
    keep: { type: "boolean", default: false },
  },
});
const target = values.target ?? (process.env.DATABASE_URL ? "postgres" : "pglite");
if (target !== "postgres" && target !== "pglite")
  throw new Error(`--target must be pglite or postgres, got ${target}`);
const users = Number(values.users ?? DEFAULT_USERS[target]);
const runs = Number(values.runs);
const log = (line: string) => process.stderr.write(`${line}\n`);

async function open(): Promise<{ db: Database; where: string; close(): Promise<void> }> {
  if (target === "pglite") {
    const db = await createPgliteDatabase();
    return { db, where: "PGlite (in memory)", close: () => db.close() };
  }
  const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const schema = `keel_bench_${Date.now().toString(36)}`;
  const admin = createPostgresDatabase({ url, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = createPostgresDatabase({ url, searchPath: schema, max: 2 });
  return {
    db,
    where: `PostgreSQL, schema ${schema}`,
    async close() {
      await db.close();
      if (!values.keep) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    },
  };
}

async function measure(db: Database, query: BenchQuery, params: unknown[][]): Promise<PhaseResult> {
  await explain(db, query.sql, params[0] ?? [], query.rollback); // warm the cache; not counted
  const measured = [];
  for (let run = 0; run < runs; run++) {
    measured.push(await explain(db, query.sql, params[run % params.length] ?? [], query.rollback));
  }
  return {
    plan: [...new Set(measured.map((m) => m.plan))].join(" / "),
    medianMs: median(measured.map((m) => m.ms)),
    medianBuffers: median(measured.map((m) => m.buffers)),
  };
}

async function phase(
  db: Database,
  label: string,
  params: Map<BenchQuery, unknown[][]>,
  queries: readonly BenchQuery[] = BENCH_QUERIES,
) {
  const results = new Map<BenchQuery, PhaseResult>();
  for (const query of queries) {
    const result = await measure(db, query, params.get(query)!);
    results.set(query, result);
    log(`  ${label} ${query.name.padEnd(42)} ${result.medianMs.toFixed(3).padStart(10)} ms  ${result.plan}`);
  }
  return results;
}

const started = performance.now();
const load = loadavg()[0]!.toFixed(1);
const { db, where, close } = await open();
try {
  const { rows: version } = await db.query<{ server_version: string }>("SHOW server_version");
  log(
    `${where}, PostgreSQL ${version[0]?.server_version}: schema up to 018, ${users.toLocaleString("en")} users`,
  );
  await migrate(db, { until: 18 });
  const generated = await generateData(db, {
    users,
    onStep: (s) => log(`  ${s.table.padEnd(28)} ${s.rows.toLocaleString("en").padStart(11)} rows ${s.ms} ms`),
  });
  const totalRows = generated.steps.reduce((sum, s) => sum + (s.table.startsWith("users (") ? 0 : s.rows), 0);
  await analyzeSchema(db, { vacuum: true });

  const params = new Map<BenchQuery, unknown[][]>();
  for (const query of BENCH_QUERIES) {
    const { rows } = await db.query<Record<string, unknown>>(query.params, [runs]);
    const columns = Object.keys(rows[0] ?? {}).filter((c) => /^p\d+$/.test(c));
    params.set(
      query,
      rows.map((row) => columns.map((c) => row[c])),
    );
  }

  log(`measuring before 019 (${runs} runs each, after one warm-up run)`);
  const before = await phase(db, "before", params);
  const { applied } = await migrate(db, { until: 19 });
  await analyzeSchema(db);
  log(`applied ${applied.join(", ")}; ANALYZE; measuring after`);
  const after = await phase(db, "after ", params);

  const results: QueryResult[] = BENCH_QUERIES.map((query) => ({
    query,
    before: before.get(query)!,
    after: after.get(query)!,
  }));

  // The indexes 019 should have had, which later migrations of this example add.
  const later = BENCH_QUERIES.filter((query) => query.fixedBy !== undefined);
  const rest = await migrate(db);
  await analyzeSchema(db);
  log(`applied ${rest.applied.join(", ")}; ANALYZE; measuring what they fix`);
  const fixed = await phase(db, "later ", params, later);
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  console.log(
    `${where}, PostgreSQL ${version[0]?.server_version}; ${users.toLocaleString("en")} users, ` +
      `${totalRows.toLocaleString("en")} generated rows; median of ${runs} runs; ` +
      `load average ${load} → ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores; ${minutes} min in all.\n`,
  );
  console.log(formatTable(results));
  console.log("\nIndexes 019 did not name, added by this example's later migrations:\n");
  console.log(
    formatFixes(results.filter((r) => fixed.has(r.query)).map((r) => ({ ...r, fixed: fixed.get(r.query)! }))),
  );
} finally {
  await close();
}
