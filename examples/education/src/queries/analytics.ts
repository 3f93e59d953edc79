import type { Database } from "../db/database.js";

/** Sessions and seconds of learning per UTC day in `[$1, $2)`, for every user. */
export const TIME_PER_DAY_SQL = `SELECT date_trunc('day', session_start, 'UTC') AS day, count(*) AS sessions,
       coalesce(sum(duration_seconds), 0) AS seconds
  FROM learning_time_tracking
 WHERE session_start >= $1 AND session_start < $2
 GROUP BY 1 ORDER BY 1`;

/** One user's sessions and seconds of learning in `[$2, $3)`. */
export const USER_TIME_SQL = `SELECT count(*) AS sessions, coalesce(sum(duration_seconds), 0) AS seconds
  FROM learning_time_tracking
 WHERE user_id = $1 AND session_start >= $2 AND session_start < $3`;

/** A half-open time range: `from` included, `to` excluded. */
export interface TimeRange {
  from: Date;
  to: Date;
}

/** One day of {@link learningTimeByDay}. */
export interface LearningDay {
  /** Midnight UTC of the day. */
  day: Date;
  sessions: number;
  /** Seconds of closed sessions (open ones count as sessions, not seconds). */
  seconds: number;
}

/**
 * Learning time per day across all users, for dashboards. Runs on the read replica when one is
 * configured (`DATABASE_READ_URL`): it may lag the primary by a few seconds.
 *
 * @example
 * ```ts
 * const week = await learningTimeByDay(db, { from: new Date(Date.now() - 7 * 86_400_000), to: new Date() });
 * ```
 */
export async function learningTimeByDay(db: Database, range: TimeRange): Promise<LearningDay[]> {
  const { rows } = await db.replica.query<LearningDay>(TIME_PER_DAY_SQL, [range.from, range.to]);
  return rows;
}

/**
 * One user's learning time in a range. Runs on the read replica when one is configured: right
 * after a session ends, it may not count it yet.
 *
 * @example
 * ```ts
 * const { seconds } = await userLearningTime(db, userId, { from: monthStart, to: new Date() });
 * ```
 */
export async function userLearningTime(
  db: Database,
  userId: string,
  range: TimeRange,
): Promise<{ sessions: number; seconds: number }> {
  const { rows } = await db.replica.query<{ sessions: number; seconds: number }>(USER_TIME_SQL, [
    userId,
    range.from,
    range.to,
  ]);
  return rows[0] ?? { sessions: 0, seconds: 0 };
}
