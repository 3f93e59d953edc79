import type { Clock } from "../clock.js";

/**
 * A clock that only moves when told to: pass it as `clock` to `createCache` and `memoryStore`, and
 * as `clock` to {@link runCacheStoreConformance}.
 *
 * @example
 * ```ts
 * import { createFakeClock } from "@keel/cache/testing";
 *
 * const clock = createFakeClock();
 * const cache = createCache({ clock });
 * await cache.set("a", 1, 10);
 * clock.advance(10_000); // "a" is now expired
 * ```
 */
export interface FakeClock extends Clock {
  /** Moves time forward by `ms` milliseconds (fractions allowed). */
  advance(ms: number): void;
  /** Sets the time, in epoch milliseconds. */
  set(epochMs: number): void;
}

/**
 * Creates a {@link FakeClock} starting at `start` epoch milliseconds: by default 1_700_000_000_000
 * (November 2023), so entries carry realistic epoch times.
 *
 * @example
 * ```ts
 * const clock = createFakeClock(0);
 * clock.advance(1500);
 * clock.now(); // 1500
 * ```
 */
export function createFakeClock(start = 1_700_000_000_000): FakeClock {
  let now = start;
  return {
    now: () => now,
    advance(ms: number): void {
      if (!(ms >= 0)) throw new RangeError(`a fake clock only moves forward, got ${ms}`);
      now += ms;
    },
    set(epochMs: number): void {
      now = epochMs;
    },
  };
}
