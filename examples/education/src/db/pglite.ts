import { PGlite, type Transaction as PgliteTransaction, type QueryOptions } from "@electric-sql/pglite";
import type { Database, QueryResult, Transaction } from "./database.js";
import { INT8_OID, parseInt8 } from "./int8.js";

/** Options for {@link createPgliteDatabase}. */
export interface PgliteDatabaseOptions {
  /**
   * Where PGlite keeps its files: a directory path (created on first start, reused after), or
   * `memory://` for a database that lives only as long as the process.
   * @default "memory://"
   */
  dataDir?: string;
  /**
   * An instance you created (for example one shared by a test file). It stays yours:
   * {@link Database.close} does not close it. `dataDir` is ignored when this is set.
   */
  pglite?: PGlite;
}

type PgliteQueryable = Pick<PGlite | PgliteTransaction, "query">;

// Per query, so an instance created elsewhere still parses bigint the way `pg` is told to.
const queryOptions: QueryOptions = { parsers: { [INT8_OID]: (text: string) => parseInt8(text) } };

async function run<Row>(
  target: PgliteQueryable,
  sql: string,
  params: readonly unknown[] = [],
): Promise<QueryResult<Row>> {
  const result = await target.query<Row>(sql, [...params], queryOptions);
  // PGlite reports affectedRows 0 for a SELECT; pg's rowCount is the rows it returned.
  return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
}

function wrapTransaction(tx: PgliteTransaction): Transaction {
  return {
    query: (sql, params) => run(tx, sql, params),
    exec: async (script) => {
      await tx.exec(script);
    },
  };
}

/**
 * Opens the embedded database: PostgreSQL compiled to WebAssembly, in this process, with no
 * server to install. One connection, so statements run one at a time and a transaction holds
 * the whole database until it ends; it has no read replica (`replica` is the database itself).
 * Starting an instance takes seconds: create one and share it.
 *
 * @example
 * ```ts
 * const db = await createPgliteDatabase({ dataDir: ".data/pglite" });
 * const { rows } = await db.query<{ now: Date }>("SELECT now()");
 * await db.close();
 * ```
 */
export async function createPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<Database> {
  const owned = options.pglite === undefined;
  const pglite = options.pglite ?? (await PGlite.create({ dataDir: options.dataDir ?? "memory://" }));
  let closed = false;
  const db: Database = {
    dialect: "pglite",
    get replica() {
      return db;
    },
    query: (sql, params) => run(pglite, sql, params),
    transaction: (fn) => pglite.transaction((tx) => fn(wrapTransaction(tx))),
    close: async () => {
      if (closed) return;
      closed = true;
      if (owned) await pglite.close();
    },
  };
  return db;
}
