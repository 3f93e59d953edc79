import { readFile } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, inject } from "vitest";
import { DATABASE_URL, postgresAvailable } from "../../../../tooling/services.js";
import type { Database } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import { createPgliteDatabase } from "../../src/db/pglite.js";
import { createPostgresDatabase } from "../../src/db/postgres.js";

/** Whether the shared PostgreSQL answers; suites on it skip loudly when not (fail under CI). */
export const hasPostgres = await postgresAvailable();

export { DATABASE_URL };

/** A fresh PGlite, loaded from the run's dumped template (fast) or initialized from scratch. */
export async function openPglite(): Promise<Database> {
  const template = inject("pgliteTemplate");
  const pglite = template
    ? await PGlite.create({ loadDataDir: new Blob([await readFile(template)]) })
    : await PGlite.create();
  const db = await createPgliteDatabase({ pglite });
  return { ...db, replica: db, close: () => pglite.close() };
}

/** A schema name no other run uses: parallel runs on the shared server never collide. */
export function uniqueSchema(label: string): string {
  return `keel_test_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

/** The database a suite runs on, available once its `beforeAll` has run. */
export interface TestTarget {
  /** The suite's database, in its own schema (PostgreSQL) or its own instance (PGlite). */
  readonly db: Database;
  /**
   * Another empty schema on the same backend, as a new `Database` (PostgreSQL), or the same
   * PGlite switched to a new schema. Closed and dropped after the suite.
   */
  freshSchema(label: string): Promise<Database>;
  /**
   * A second, independent pool on the schema `db` uses (PostgreSQL), to act as a second
   * instance of the app; on PGlite, which has one connection, `db` itself.
   */
  secondPool(db: Database): Promise<Database>;
}

interface Opened {
  db: Database;
  freshSchema(label: string): Promise<Database>;
  secondPool(db: Database): Promise<Database>;
  close(): Promise<void>;
}

interface Backend {
  name: string;
  skip: boolean;
  open(): Promise<Opened>;
}

const pgliteBackend: Backend = {
  name: "PGlite",
  skip: false,
  async open() {
    const db = await openPglite();
    return {
      db,
      // One connection: switching its search_path switches every later statement too.
      async freshSchema(label) {
        const schema = uniqueSchema(label);
        await db.query(`CREATE SCHEMA ${schema}`);
        await db.query(`SET search_path TO ${schema}`);
        return db;
      },
      secondPool: async (other) => other,
      close: () => db.close(),
    };
  },
};

const postgresBackend: Backend = {
  name: "PostgreSQL",
  skip: !hasPostgres,
  async open() {
    const admin = createPostgresDatabase({ url: DATABASE_URL, max: 1 });
    const opened: { schema: string; db: Database }[] = [];
    function pool(schema: string): Database {
      const db = createPostgresDatabase({ url: DATABASE_URL, searchPath: schema, max: 4 });
      opened.push({ schema, db });
      return db;
    }
    async function freshSchema(label: string): Promise<Database> {
      const schema = uniqueSchema(label);
      await admin.query(`CREATE SCHEMA ${schema}`);
      return pool(schema);
    }
    const db = await freshSchema("suite");
    return {
      db,
      freshSchema,
      async secondPool(other) {
        const schema = opened.find((entry) => entry.db === other)?.schema;
        if (schema === undefined) throw new Error("secondPool takes a database from freshSchema");
        return pool(schema);
      },
      async close() {
        for (const { db } of opened) await db.close();
        const schemas = [...new Set(opened.map((entry) => entry.schema))];
        await admin.query(`DROP SCHEMA IF EXISTS ${schemas.join(", ")} CASCADE`);
        await admin.close();
      },
    };
  },
};

/**
 * Declares `suite` once per backend (PGlite, and PostgreSQL when reachable), each on its own
 * database, migrated unless `migrated: false`.
 */
export function describeOnEachDatabase(
  title: string,
  suite: (target: TestTarget) => void,
  options: { migrated?: boolean } = {},
): void {
  for (const backend of [pgliteBackend, postgresBackend]) {
    describe.skipIf(backend.skip)(`${title} (${backend.name})`, () => {
      let opened: Opened | undefined;
      beforeAll(async () => {
        opened = await backend.open();
        if (options.migrated !== false) await migrate(opened.db);
      });
      afterAll(async () => {
        await opened?.close();
      });
      suite({
        get db() {
          if (!opened) throw new Error("the suite's database is opened in beforeAll: use it inside a test");
          return opened.db;
        },
        freshSchema: (label) => {
          if (!opened) throw new Error("freshSchema is available inside a test");
          return opened.freshSchema(label);
        },
        secondPool: (db) => {
          if (!opened) throw new Error("secondPool is available inside a test");
          return opened.secondPool(db);
        },
      });
    });
  }
}
