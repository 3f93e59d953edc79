import type { Clock } from "../clock.js";

/**
 * A clock that moves only when told to: pass it to a store (and to the conformance suite) to make
 * time-dependent assertions exact.
 *
 * @example
 * ```ts
 * import { manualClock } from "@keel/rate-limiter/testing";
 *
 * const clock = manualClock();
 * const store = memoryStore({ clock });
 * clock.advance(60_000); // one minute later, instantly
 * ```
 */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the time to `epochMs`. */
  set(epochMs: number): void;
}

/**
 * Creates a {@link ManualClock} starting at `start` (epoch ms).
 *
 * @param start - the initial time in epoch milliseconds; the default is a fixed instant, not the
 *   current time, so runs are reproducible.
 * @example
 * ```ts
 * const clock = manualClock(Date.UTC(2030, 0, 1));
 * clock.now(); // 1893456000000
 * ```
 */
export function manualClock(start = 1_700_000_000_000): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
    set(epochMs: number) {
      now = epochMs;
    },
  };
}
