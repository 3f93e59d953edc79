import { randomUUID } from "node:crypto";
import type { Database, Queryable } from "../../src/db/database.js";

/** Inserts a wallet user (no password to hash) and returns its id. */
export async function insertUser(db: Queryable): Promise<string> {
  const wallet = `0x${randomUUID().replace(/-/g, "")}${"0".repeat(8)}`;
  const { rows } = await db.query<{ id: string }>(
    "INSERT INTO users (wallet_address, display_name) VALUES ($1, 'Fixture') RETURNING id",
    [wallet],
  );
  return rows[0]!.id;
}

/** The same database, counting the statements sent through it: round trips, not durations. */
export function countingDatabase(db: Database): { db: Database; statements: string[] } {
  const statements: string[] = [];
  const counted: Database = {
    dialect: db.dialect,
    replica: db.replica,
    close: () => db.close(),
    query: (sql, params) => {
      statements.push(sql);
      return db.query(sql, params);
    },
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          exec: (script) => tx.exec(script),
          query: (sql, params) => {
            statements.push(sql);
            return tx.query(sql, params);
          },
        }),
      ),
  };
  return { db: counted, statements };
}

/** Midnight UTC, 1 June 2030: the fixed "now" of the job tests. */
export const NOW = Date.UTC(2030, 5, 1);
export const DAY = 86_400_000;
export const fixedClock = { now: () => NOW };
