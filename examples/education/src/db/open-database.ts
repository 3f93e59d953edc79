import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { EducationError } from "../errors.js";
import type { Database } from "./database.js";
import { createPgliteDatabase } from "./pglite.js";
import { createPostgresDatabase } from "./postgres.js";

/** Where the education API keeps its data; {@link databaseConfigFromEnv} reads it from the environment. */
export interface DatabaseConfig {
  /** A real PostgreSQL (`DATABASE_URL`). When unset, the embedded PGlite database is used. */
  databaseUrl?: string;
  /** A read replica for analytics (`DATABASE_READ_URL`); needs `databaseUrl`. */
  databaseReadUrl?: string;
  /**
   * PGlite's directory when `databaseUrl` is unset (`PGLITE_DATA_DIR`); `memory://` keeps the
   * data in memory only. Only one process may open a directory at a time.
   * @default "examples/education/.data/pglite"
   */
  pgliteDataDir?: string;
}

/** The default PGlite directory: `.data/pglite` inside the example, ignored by git. */
export const DEFAULT_PGLITE_DATA_DIR = fileURLToPath(new URL("../../.data/pglite", import.meta.url));

/**
 * Reads {@link DatabaseConfig} from `DATABASE_URL`, `DATABASE_READ_URL` and `PGLITE_DATA_DIR`;
 * empty values count as unset.
 *
 * @example
 * ```ts
 * const db = await openDatabase(databaseConfigFromEnv());
 * ```
 */
export function databaseConfigFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const config: DatabaseConfig = {};
  if (env.DATABASE_URL) config.databaseUrl = env.DATABASE_URL;
  if (env.DATABASE_READ_URL) config.databaseReadUrl = env.DATABASE_READ_URL;
  if (env.PGLITE_DATA_DIR) config.pgliteDataDir = env.PGLITE_DATA_DIR;
  return config;
}

/**
 * Opens the database the config names: a `pg` pool (plus a replica pool) for `databaseUrl`,
 * otherwise embedded PGlite. It does not migrate: call `migrate(db)` next.
 *
 * @example
 * ```ts
 * const db = await openDatabase({ databaseUrl: "postgres://postgres@127.0.0.1:5432/education" });
 * ```
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.databaseUrl === undefined) {
    if (config.databaseReadUrl !== undefined) {
      throw new EducationError(
        "ERR_KEEL_EDUCATION_CONFIG",
        "DATABASE_READ_URL is set but DATABASE_URL is not: a read replica needs a primary; set both, or neither for embedded PGlite",
      );
    }
    const dataDir = config.pgliteDataDir ?? DEFAULT_PGLITE_DATA_DIR;
    // PGlite creates its directory but not the folders above it (a fresh clone has no .data/).
    if (!dataDir.includes("://")) await mkdir(dirname(dataDir), { recursive: true });
    return createPgliteDatabase({ dataDir });
  }
  return createPostgresDatabase({
    url: config.databaseUrl,
    ...(config.databaseReadUrl === undefined ? {} : { readUrl: config.databaseReadUrl }),
  });
}
