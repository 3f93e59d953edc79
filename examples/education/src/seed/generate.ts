import { randomBytes } from "node:crypto";
import { hashPassword, type ScryptCost } from "../auth/password.js";
import type { Database } from "../db/database.js";
import { EducationError } from "../errors.js";
import { ACTIVITY_STEPS } from "./generate-activity.js";
import { CATALOG_STEPS } from "./generate-catalog.js";
import { type GenerateContext, SCRATCH_TABLES } from "./generate-step.js";

/**
 * Runs `ANALYZE` (or `VACUUM (ANALYZE)`) on the tables of the current schema only: a bare
 * ANALYZE walks every schema of the database and can wait on other people's locks there.
 *
 * @example
 * ```ts
 * await analyzeSchema(db, { vacuum: true });
 * ```
 */
export async function analyzeSchema(db: Database, options: { vacuum?: boolean } = {}): Promise<void> {
  const { rows } = await db.query<{ tables: string | null }>(
    `SELECT string_agg(format('%I', tablename), ', ') AS tables FROM pg_tables WHERE schemaname = current_schema()`,
  );
  if (rows[0]?.tables) await db.query(`${options.vacuum ? "VACUUM (ANALYZE)" : "ANALYZE"} ${rows[0].tables}`);
}

/** Options for {@link generateData}. */
export interface GenerateOptions {
  /** Users to create; every per-user table scales with it (about 116 rows per user in all). */
  users: number;
  /**
   * The password every generated email user signs in with (one shared hash: hashing 100,000
   * passwords would take longer than generating everything else).
   * @default "generated-password"
   */
  password?: string;
  /** scrypt cost of that one hash (tests pass a cheap one). @default DEFAULT_SCRYPT_COST */
  scryptCost?: ScryptCost;
  /** Called after each step, for progress lines. */
  onStep?: (step: GeneratedStep) => void;
}

/** One finished step of {@link generateData}. */
export interface GeneratedStep {
  table: string;
  rows: number;
  /** Wall time of the step, in milliseconds. */
  ms: number;
}

/** What {@link generateData} made. */
export interface GenerateResult {
  /** The tag in this run's slugs (`gen-<tag>-module-3`) and emails (`learner7.<tag>@example.test`). */
  tag: string;
  steps: GeneratedStep[];
}

/**
 * Fills a migrated database with generated learners and everything they do, in SQL
 * (`INSERT ... SELECT` over `generate_series`, no row-by-row round trips): a generated catalog
 * (120 modules, 240 tutorials of 6 steps, 60 challenges, 12 certifications, 24 learning
 * paths) and `users` learners whose activity follows a Pareto distribution, so a few are heavy
 * and most are light. Each run adds to what is there, under its own tag. Run one at a time per
 * schema: it uses scratch tables (`_gen_*`), dropped at the end, and ends with ANALYZE.
 *
 * @example
 * ```ts
 * await generateData(db, { users: 100_000, onStep: (s) => console.log(s.table, s.rows, s.ms) });
 * ```
 */
export async function generateData(db: Database, options: GenerateOptions): Promise<GenerateResult> {
  if (!Number.isInteger(options.users) || options.users < 1) {
    throw new EducationError(
      "ERR_KEEL_EDUCATION_CONFIG",
      `users must be a whole number of at least 1, got ${options.users}`,
    );
  }
  const context: GenerateContext = {
    users: options.users,
    tag: randomBytes(4).readUInt32BE().toString(36),
    passwordHash: await hashPassword(options.password ?? "generated-password", options.scryptCost),
    modules: 120,
    tutorials: 240,
    stepsPerTutorial: 6,
    challenges: 60,
    certifications: 12,
    learningPaths: 24,
  };
  const scratch = Object.keys(SCRATCH_TABLES).join(", ");
  const steps: GeneratedStep[] = [];
  // Every foreign key the steps write comes from a row an earlier step inserted (the scratch
  // tables), so checking each one again, row by row, is 40% of the time for nothing. Where the
  // role may (a superuser, or GRANT SET ON PARAMETER session_replication_role), the steps run
  // with FK triggers off; elsewhere they run checked, only slower.
  const { rows } = await db.query<{ allowed: boolean }>(
    "SELECT has_parameter_privilege('session_replication_role', 'SET') AS allowed",
  );
  const skipForeignKeyChecks = rows[0]?.allowed === true;
  await db.query(`DROP TABLE IF EXISTS ${scratch}`);
  try {
    for (const [name, columns] of Object.entries(SCRATCH_TABLES)) {
      await db.query(`CREATE UNLOGGED TABLE ${name} ${columns}`);
    }
    for (const step of [...CATALOG_STEPS, ...ACTIVITY_STEPS]) {
      const started = performance.now();
      const { rowCount } = await db.transaction(async (tx) => {
        // generate_series with computed bounds is estimated at 1,000 rows per user, so the planner
        // expects millions and JIT-compiles each statement: seconds of compiling for nothing.
        await tx.query("SET LOCAL jit = off");
        if (skipForeignKeyChecks) await tx.query("SET LOCAL session_replication_role = replica");
        return tx.query(step.sql, step.params(context));
      });
      const done = { table: step.table, rows: rowCount, ms: Math.round(performance.now() - started) };
      steps.push(done);
      options.onStep?.(done);
    }
  } finally {
    await db.query(`DROP TABLE IF EXISTS ${scratch}`);
  }
  const started = performance.now();
  await analyzeSchema(db);
  const analyzed = { table: "(ANALYZE)", rows: 0, ms: Math.round(performance.now() - started) };
  steps.push(analyzed);
  options.onStep?.(analyzed);
  return { tag: context.tag, steps };
}
