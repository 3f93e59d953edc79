import { type Clock, systemClock } from "../clock.js";
import type { Database } from "../db/database.js";
import { type BatchOptions, batchLimits } from "./batch-options.js";

// One batch: the rows found through the expires_at index (019), deleted by their physical
// address (a TID scan), so the DELETE never scans the table. SKIP LOCKED lets two instances
// run the job at once without waiting on each other.
const batchSql = (table: string) =>
  `DELETE FROM ${table} WHERE ctid = ANY (ARRAY(
     SELECT ctid FROM ${table} WHERE expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED))`;

/** One batch of the refresh-token cleanup: `$1` the cutoff, `$2` the batch size. */
export const DELETE_EXPIRED_REFRESH_TOKENS = batchSql("refresh_tokens");
/** One batch of the blacklist cleanup: `$1` the cutoff, `$2` the batch size. */
export const DELETE_EXPIRED_BLACKLIST_ENTRIES = batchSql("token_blacklist");

/** Options for {@link cleanupExpiredTokens}. */
export interface CleanupOptions extends BatchOptions {
  /** Where "now" comes from. @default the system clock */
  clock?: Clock;
}

/** What {@link cleanupExpiredTokens} deleted. */
export interface CleanupResult {
  refreshTokens: number;
  blacklistEntries: number;
  /** False when `maxBatches` stopped it with expired rows left. */
  complete: boolean;
}

async function drain(db: Database, sql: string, cutoff: Date, batchSize: number, maxBatches: number) {
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const { rowCount } = await db.query(sql, [cutoff, batchSize]);
    deleted += rowCount;
    if (rowCount < batchSize) return { deleted, complete: true };
  }
  return { deleted, complete: false };
}

/**
 * Deletes refresh tokens and blacklist entries that expired before now, in batches of
 * `batchSize`, each its own statement and transaction. An expired refresh token can no longer
 * be used and an expired access token no longer needs blacklisting, so both are dead weight.
 * Run it every few minutes; `maxBatches` bounds one run.
 *
 * @example
 * ```ts
 * const { refreshTokens, blacklistEntries } = await cleanupExpiredTokens(db);
 * ```
 */
export async function cleanupExpiredTokens(
  db: Database,
  options: CleanupOptions = {},
): Promise<CleanupResult> {
  const { batchSize, maxBatches } = batchLimits(options);
  const cutoff = new Date((options.clock ?? systemClock).now());
  const tokens = await drain(db, DELETE_EXPIRED_REFRESH_TOKENS, cutoff, batchSize, maxBatches);
  const blacklist = await drain(db, DELETE_EXPIRED_BLACKLIST_ENTRIES, cutoff, batchSize, maxBatches);
  return {
    refreshTokens: tokens.deleted,
    blacklistEntries: blacklist.deleted,
    complete: tokens.complete && blacklist.complete,
  };
}
