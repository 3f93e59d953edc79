import type { Database } from "../db/database.js";
import { archiveTimeTracking } from "./archive-time-tracking.js";
import { cleanupExpiredTokens } from "./cleanup-expired-tokens.js";

/** How often the maintenance jobs run, in milliseconds. */
export interface JobIntervals {
  /** Expired refresh tokens and blacklist entries. @default 600000 (10 min) */
  cleanupMs?: number;
  /** Time-tracking rows older than a year into the archive. @default 3600000 (1 h) */
  archiveMs?: number;
}

/**
 * Runs the token cleanup and the time-tracking archive on `unref()`'d intervals (they never keep
 * the process alive), one run of each job at a time; a failed run is reported and retried at the
 * next tick. Returns a function that stops both.
 *
 * @example
 * ```ts
 * const stop = scheduleJobs(db);
 * process.on("SIGTERM", stop);
 * ```
 */
export function scheduleJobs(
  db: Database,
  intervals: JobIntervals = {},
  log: (message: string, error: unknown) => void = (message, error) => console.error(message, error),
): () => void {
  const jobs: [string, number, () => Promise<unknown>][] = [
    ["token cleanup", intervals.cleanupMs ?? 600_000, () => cleanupExpiredTokens(db)],
    ["time-tracking archive", intervals.archiveMs ?? 3_600_000, () => archiveTimeTracking(db)],
  ];
  const timers = jobs.map(([name, every, run]) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      run()
        .catch((error: unknown) => log(`[jobs] ${name} failed; retrying at the next tick`, error))
        .finally(() => {
          running = false;
        });
    }, every);
    timer.unref();
    return timer;
  });
  return () => {
    for (const timer of timers) clearInterval(timer);
  };
}
