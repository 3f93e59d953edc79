import { type Clock, systemClock } from "../clock.js";
import type { Database } from "../db/database.js";
import { EducationError } from "../errors.js";
import { type BatchOptions, batchLimits } from "./batch-options.js";

const COLUMNS = "id, user_id, content_type, content_id, session_start, session_end, duration_seconds";

/**
 * One batch: up to `$2` sessions that started before `$1`, found through the session_start
 * index (019), deleted by physical address and inserted into the archive in the same
 * statement, so a row is always in exactly one of the two tables. SKIP LOCKED steps over rows
 * another transaction is updating instead of waiting for it.
 */
export const ARCHIVE_TIME_TRACKING_BATCH = `WITH moved AS (
  DELETE FROM learning_time_tracking WHERE ctid = ANY (ARRAY(
    SELECT ctid FROM learning_time_tracking WHERE session_start < $1 LIMIT $2 FOR UPDATE SKIP LOCKED))
  RETURNING ${COLUMNS}
)
INSERT INTO learning_time_tracking_archive (${COLUMNS}) SELECT ${COLUMNS} FROM moved`;

/** Options for {@link archiveTimeTracking}. */
export interface ArchiveOptions extends BatchOptions {
  /**
   * Sessions that started more than this many days ago move to the archive.
   * @default 365
   */
  retentionDays?: number;
  /** Where "now" comes from. @default the system clock */
  clock?: Clock;
  /**
   * How long one batch may wait for a table lock (a migration building an index, say) before
   * it gives up with an error, in milliseconds.
   * @default 2000
   */
  lockTimeoutMs?: number;
}

/** What {@link archiveTimeTracking} moved. */
export interface ArchiveResult {
  moved: number;
  batches: number;
  /** False when `maxBatches` stopped it with old sessions left. */
  complete: boolean;
}

/**
 * Moves time-tracking sessions older than `retentionDays` from `learning_time_tracking` to
 * `learning_time_tracking_archive`, `batchSize` rows per short transaction, so the hot table
 * stays small and no lock is held for long. Safe to run from several instances at once and to
 * interrupt: every batch is complete or absent.
 *
 * @example
 * ```ts
 * const { moved, complete } = await archiveTimeTracking(db, { retentionDays: 365, batchSize: 5000 });
 * ```
 */
export async function archiveTimeTracking(
  db: Database,
  options: ArchiveOptions = {},
): Promise<ArchiveResult> {
  const { batchSize, maxBatches } = batchLimits(options);
  const { retentionDays = 365, lockTimeoutMs = 2000 } = options;
  if (!(retentionDays > 0) || !Number.isInteger(lockTimeoutMs) || lockTimeoutMs < 1) {
    throw new EducationError(
      "ERR_KEEL_EDUCATION_CONFIG",
      `retentionDays must be a positive number of days and lockTimeoutMs a positive whole number of milliseconds, got ${retentionDays} and ${lockTimeoutMs}`,
    );
  }
  const cutoff = new Date((options.clock ?? systemClock).now() - retentionDays * 86_400_000);
  let moved = 0;
  for (let batch = 1; batch <= maxBatches; batch++) {
    const { rowCount } = await db.transaction(async (tx) => {
      // SET LOCAL takes no parameters; the value is a validated integer.
      await tx.query(`SET LOCAL lock_timeout = ${lockTimeoutMs}`);
      return tx.query(ARCHIVE_TIME_TRACKING_BATCH, [cutoff, batchSize]);
    });
    moved += rowCount;
    if (rowCount < batchSize) return { moved, batches: batch, complete: true };
  }
  return { moved, batches: maxBatches, complete: false };
}
