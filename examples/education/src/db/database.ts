/** What a query returns on both backends: the rows, and how many rows it returned or changed. */
export interface QueryResult<Row> {
  /** The rows, with column names as keys; `bigint` columns are numbers (see `parseInt8`). */
  rows: Row[];
  /** Rows returned by a SELECT, or rows changed by INSERT/UPDATE/DELETE. */
  rowCount: number;
}

/** Anything that runs one parameterized statement: a database, a transaction, a read replica. */
export interface Queryable {
  /**
   * Runs one statement with `$1, $2, ...` placeholders bound to `params`. Never build SQL from
   * input: every value goes through `params`.
   *
   * @example
   * ```ts
   * const { rows } = await db.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [email]);
   * ```
   */
  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<Row>>;
}

/** A transaction in progress: statements on it run on one connection and commit together. */
export interface Transaction extends Queryable {
  /**
   * Runs a script of several statements without parameters, for migrations. Application code
   * uses {@link Queryable.query}, which binds parameters.
   */
  exec(script: string): Promise<void>;
}

/**
 * The education API's view of PostgreSQL: the same interface, and the same SQL, whether the
 * database is embedded PGlite or a real server behind a `pg` pool.
 *
 * @example
 * ```ts
 * const db = process.env.DATABASE_URL
 *   ? createPostgresDatabase({ url: process.env.DATABASE_URL })
 *   : await createPgliteDatabase();
 * await db.transaction(async (tx) => {
 *   await tx.query("UPDATE users SET last_login_at = now() WHERE id = $1", [userId]);
 * });
 * await db.close();
 * ```
 */
export interface Database extends Queryable {
  /** Which engine runs the SQL. */
  readonly dialect: "pglite" | "postgres";
  /**
   * Where read-only analytics go: the read replica's pool when `DATABASE_READ_URL` is set,
   * otherwise this database itself. A replica may lag the primary by a few seconds, so read
   * your own writes from the database, never from the replica.
   */
  readonly replica: Queryable;
  /**
   * Runs `fn` in a transaction on one connection: committed when `fn` resolves, rolled back
   * when it throws (and the error rethrown). Inside `fn`, send every statement through `tx`:
   * a `db.query` there runs outside the transaction on PostgreSQL, and on PGlite (one
   * connection) it waits for the transaction to end, which never comes.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Closes the pools or the embedded instance this database opened. Idempotent. */
  close(): Promise<void>;
}
