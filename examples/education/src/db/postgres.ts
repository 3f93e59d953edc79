import pg from "pg";
import { EducationError } from "../errors.js";
import type { Database, QueryResult, Transaction } from "./database.js";
import { INT8_OID, parseInt8 } from "./int8.js";

/** Options for {@link createPostgresDatabase}. */
export interface PostgresDatabaseOptions {
  /** The primary, as a `postgres://user:password@host:port/database` URL (`DATABASE_URL`). */
  url: string;
  /**
   * A read replica (`DATABASE_READ_URL`) for the analytics queries. Its connections are opened
   * with `default_transaction_read_only=on`, so a write sent there by mistake fails loudly.
   * When unset, analytics read from the primary.
   */
  readUrl?: string;
  /**
   * Schemas to resolve unqualified table names in, comma-separated, set on every connection of
   * both pools (tests use one fresh schema per run). Leave unset to use the server's default, or
   * a `search_path` in the URL's `options` parameter.
   */
  searchPath?: string;
  /**
   * Connections in the primary pool, and again in the replica pool.
   * @default 10
   */
  max?: number;
  /**
   * Longest wait, in milliseconds, for a connection: a new one to open, or a busy pool to free
   * one. Past it the query fails (the API answers 503) instead of queueing without end.
   * @default 5000
   */
  connectionTimeoutMillis?: number;
  /**
   * Called with an error an idle pooled connection raised (server restart, network loss); the
   * pool discards that connection and opens another on the next query.
   * @default logs the error with console.error
   */
  onIdleError?: (error: Error) => void;
}

const SEARCH_PATH = /^[a-z_][a-z0-9_$]*(\s*,\s*[a-z_][a-z0-9_$]*)*$/i;

const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function validate(options: PostgresDatabaseOptions): void {
  for (const [name, url] of [
    ["url", options.url],
    ["readUrl", options.readUrl],
  ] as const) {
    if (url === undefined) continue;
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new EducationError(
        "ERR_KEEL_EDUCATION_CONFIG",
        `${name} must be a postgres:// URL such as postgres://user@127.0.0.1:5432/education, got "${url.replace(/:[^:@/]*@/, ":***@")}"`,
      );
    }
  }
  if (options.searchPath !== undefined && !SEARCH_PATH.test(options.searchPath)) {
    throw new EducationError(
      "ERR_KEEL_EDUCATION_CONFIG",
      `searchPath must be comma-separated schema names (letters, digits, _), got "${options.searchPath}"`,
    );
  }
  const timeout = options.connectionTimeoutMillis;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 1)) {
    throw new EducationError(
      "ERR_KEEL_EDUCATION_CONFIG",
      `connectionTimeoutMillis must be a whole number of milliseconds of at least 1, got ${timeout}`,
    );
  }
  if (options.max !== undefined && (!Number.isInteger(options.max) || options.max < 1)) {
    throw new EducationError(
      "ERR_KEEL_EDUCATION_CONFIG",
      `max must be a whole number of connections of at least 1, got ${options.max}`,
    );
  }
}

function createPool(url: string, settings: string[], name: string, options: PostgresDatabaseOptions) {
  if (options.searchPath !== undefined) settings.push(`search_path=${options.searchPath.replace(/\s/g, "")}`);
  // pg lets a URL's ?options= replace the options given beside it; merge them instead, so a
  // replica URL with its own options still gets default_transaction_read_only.
  const parsed = new URL(url);
  const fromUrl = parsed.searchParams.get("options");
  parsed.searchParams.delete("options");
  const startup = [fromUrl, ...settings.map((s) => `-c ${s}`)].filter(Boolean).join(" ");
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5000,
    application_name: name,
    types,
    ...(startup ? { options: startup } : {}),
  });
  const onIdleError =
    options.onIdleError ?? ((error) => console.error(`[${name}] idle connection error:`, error));
  pool.on("error", onIdleError);
  return pool;
}

async function run<Row>(
  target: pg.Pool | pg.PoolClient,
  sql: string,
  params: readonly unknown[] = [],
): Promise<QueryResult<Row>> {
  const result = await target.query(sql, [...params]);
  return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
}

/**
 * Connects to a real PostgreSQL through a `pg` pool, with an optional read-replica pool used by
 * the analytics queries. Creating it opens no connection: the first query does.
 *
 * @example
 * ```ts
 * const db = createPostgresDatabase({
 *   url: process.env.DATABASE_URL!,
 *   ...(process.env.DATABASE_READ_URL ? { readUrl: process.env.DATABASE_READ_URL } : {}),
 * });
 * const { rows } = await db.replica.query("SELECT count(*) AS sessions FROM learning_time_tracking");
 * await db.close();
 * ```
 */
export function createPostgresDatabase(options: PostgresDatabaseOptions): Database {
  validate(options);
  const pool = createPool(options.url, [], "keel-education", options);
  const readPool =
    options.readUrl === undefined
      ? undefined
      : createPool(options.readUrl, ["default_transaction_read_only=on"], "keel-education-replica", options);
  const replicaPool = readPool ?? pool;
  const onClientError =
    options.onIdleError ??
    ((error: Error) => console.error("[keel-education] connection lost in a transaction:", error));
  let closing: Promise<void> | undefined;

  const db: Database = {
    dialect: "postgres",
    replica: { query: (sql, params) => run(replicaPool, sql, params) },
    query: (sql, params) => run(pool, sql, params),
    async transaction(fn) {
      const client = await pool.connect();
      // A checked-out client whose backend is terminated emits "error"; pg-pool only listens while
      // the client is idle, so without this listener a restart or failover would crash the process.
      // The failed query still rejects and the client is destroyed below.
      const onLost = (error: Error) => onClientError(error);
      client.on("error", onLost);
      const tx: Transaction = {
        query: (sql, params) => run(client, sql, params),
        exec: async (script) => {
          await client.query(script);
        },
      };
      try {
        await client.query("BEGIN");
        const result = await fn(tx);
        await client.query("COMMIT");
        client.off("error", onLost);
        client.release();
        return result;
      } catch (error) {
        // A failed ROLLBACK means the connection is broken: destroy it rather than reuse it.
        const broken = await client.query("ROLLBACK").then(
          () => undefined,
          (rollbackError: Error) => rollbackError,
        );
        // The listener stays on: a destroyed client may still report its socket's end.
        client.release(broken);
        throw error;
      }
    },
    close() {
      closing ??= Promise.all([pool.end(), readPool?.end()]).then(() => undefined);
      return closing;
    },
  };
  return db;
}
