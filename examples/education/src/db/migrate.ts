import { EducationError } from "../errors.js";
import type { Database, Transaction } from "./database.js";
import { type Migration, readMigrations } from "./migration-files.js";

/** Options for {@link migrate}. */
export interface MigrateOptions {
  /**
   * The migrations to apply, in order.
   * @default every file in `examples/education/migrations/` (see `readMigrations`)
   */
  migrations?: readonly Migration[];
  /**
   * Apply migrations up to and including this number only (the index benchmark stops at 18,
   * measures, then applies 19).
   * @default every migration
   */
  until?: number;
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Migrations this call applied, in order. */
  applied: string[];
  /** Migrations already recorded (by this call's competitors or an earlier start). */
  skipped: string[];
}

// 0x6b65656c is "keel": the lock's first key, so it never collides with the app's own locks.
const LOCK_CLASS = 0x6b65656c;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

async function applyOne(tx: Transaction, migration: Migration): Promise<boolean> {
  // Serializes runners on the same schema; released at COMMIT/ROLLBACK. Two instances starting
  // together queue here, and the second finds the migration recorded and skips it.
  await tx.query("SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))", [LOCK_CLASS]);
  await tx.query(CREATE_TABLE);
  const { rows } = await tx.query<{ checksum: string }>(
    "SELECT checksum FROM schema_migrations WHERE name = $1",
    [migration.name],
  );
  const recorded = rows[0];
  if (recorded) {
    if (recorded.checksum !== migration.checksum) {
      throw new EducationError(
        "ERR_KEEL_EDUCATION_MIGRATION_CHECKSUM",
        `migration ${migration.name} changed after it was applied (recorded checksum ${recorded.checksum.slice(0, 12)}, ` +
          `file ${migration.checksum.slice(0, 12)}): never edit an applied migration, add a new numbered one instead`,
      );
    }
    return false;
  }
  try {
    await tx.exec(migration.sql);
  } catch (error) {
    throw new EducationError(
      "ERR_KEEL_EDUCATION_MIGRATION_FAILED",
      `migration ${migration.name} failed and was rolled back, nothing of it applied: ${(error as Error).message}`,
      { cause: error },
    );
  }
  await tx.query("INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", [
    migration.name,
    migration.checksum,
  ]);
  return true;
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order, each in its own
 * transaction under an advisory lock on the current schema. Safe to run twice and safe to run
 * from two instances at once; it refuses to continue past a migration whose file changed after
 * it was applied.
 *
 * @example
 * ```ts
 * const db = await openDatabase(databaseConfigFromEnv());
 * const { applied } = await migrate(db);
 * console.log(applied.length ? `applied ${applied.join(", ")}` : "schema up to date");
 * ```
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = options.migrations ?? (await readMigrations());
  const result: MigrateResult = { applied: [], skipped: [] };
  for (const migration of migrations) {
    if (options.until !== undefined && migration.number > options.until) break;
    const applied = await db.transaction((tx) => applyOne(tx, migration));
    (applied ? result.applied : result.skipped).push(migration.name);
  }
  return result;
}
