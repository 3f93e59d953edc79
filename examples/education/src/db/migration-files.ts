import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EducationError } from "../errors.js";

/** One numbered migration file. */
export interface Migration {
  /** The file name without `.sql`, e.g. `019_add_additional_indexes`; recorded once applied. */
  name: string;
  /** The leading number, e.g. 19. Migrations run in this order. */
  number: number;
  /** The file's SQL. */
  sql: string;
  /** SHA-256 (hex) of the SQL with line endings normalized, so a checkout with CRLF matches. */
  checksum: string;
}

/** The example's own migrations: `examples/education/migrations/`. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));

const FILE_NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;

/** SHA-256 (hex) of a migration's SQL, ignoring the difference between CRLF and LF. */
export function migrationChecksum(sql: string): string {
  return createHash("sha256").update(sql.replace(/\r\n/g, "\n")).digest("hex");
}

/**
 * Reads every `NNN_name.sql` in `dir`, in number order. Any other `.sql` file name, or two files
 * with one number, is an error: the order must never be ambiguous.
 *
 * @example
 * ```ts
 * const migrations = await readMigrations(); // [{ name: "001_create_users", number: 1, ... }, ...]
 * ```
 */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith(".sql")).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) {
      throw new EducationError(
        "ERR_KEEL_EDUCATION_MIGRATION_NAME",
        `migration file "${file}" in ${dir} must be named NNN_lowercase_words.sql (three digits, e.g. 020_add_archive.sql)`,
      );
    }
    const number = Number(match[1]);
    const previous = migrations.at(-1);
    if (previous?.number === number) {
      throw new EducationError(
        "ERR_KEEL_EDUCATION_MIGRATION_NAME",
        `migrations "${previous.name}" and "${file}" share the number ${match[1]}: give the newer one the next free number`,
      );
    }
    const sql = await readFile(join(dir, file), "utf8");
    migrations.push({ name: file.slice(0, -4), number, sql, checksum: migrationChecksum(sql) });
  }
  return migrations;
}
