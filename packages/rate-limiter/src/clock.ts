/**
 * A source of time in epoch milliseconds. Inject one to make decisions deterministic in tests;
 * it is read once per store call.
 *
 * @example
 * ```ts
 * import { createRateLimiter, type Clock } from "@keel/rate-limiter";
 *
 * let now = 0;
 * const clock: Clock = { now: () => now };
 * const limiter = createRateLimiter({ limit: 1, window: 60, clock });
 * now += 60_000; // the window has passed
 * ```
 */
export interface Clock {
  /** The current time, in epoch milliseconds. */
  now(): number;
}

/**
 * The default clock: `Date.now()`.
 *
 * @example
 * ```ts
 * import { memoryStore, systemClock } from "@keel/rate-limiter";
 *
 * const store = memoryStore({ clock: systemClock }); // the same as memoryStore()
 * ```
 */
export const systemClock: Clock = { now: () => Date.now() };
