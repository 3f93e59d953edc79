import type { RateLimitPolicy } from "../types.js";
import { type Algorithm, refuseOverCapacity, type StepDecision } from "./algorithm.js";

/**
 * The state of one key under `sliding-window`: the counters of the current aligned window and the
 * one before it.
 *
 * @example
 * ```ts
 * import { slidingWindow, type SlidingWindowState } from "@keel/rate-limiter";
 *
 * const state: SlidingWindowState = slidingWindow.empty(); // { window: -Infinity, current: 0, previous: 0 }
 * ```
 */
export interface SlidingWindowState {
  /** Index of the window `current` counts, `floor(now / windowMs)`; `-Infinity` when there is none. */
  window: number;
  /** Units admitted in window `window`. */
  current: number;
  /** Units admitted in window `window - 1`. */
  previous: number;
}

/**
 * `sliding-window`: windows aligned to multiples of `windowMs`, with the previous window's count
 * weighted by how much of it still lies inside the sliding window ending now:
 * `estimate = previous × (windowStart + windowMs − now) / windowMs + current`.
 *
 * Promises, for every key (all arithmetic exact, in integers scaled by `windowMs`):
 * - a request of cost `c ≤ limit` is admitted exactly when `estimate + c ≤ limit`, so at most `limit`
 *   units are admitted in each aligned window and the estimate never exceeds `limit`; a real span of
 *   `windowMs` can hold up to `2 × limit` when traffic is bunched (the estimate assumes it is even);
 * - `remaining = max(0, floor(limit − estimate))` after the decision;
 * - `retryAfterMs` is exact: the smallest whole number of milliseconds after which the same request
 *   is admitted (when nothing else arrives), in closed form;
 * - `resetAt` is when the estimate reaches 0: the end of the next window when `current > 0`, else the
 *   end of this one when `previous > 0`, else now;
 * - `refund` lowers `current` (not below 0) only while its window is still the current one.
 *
 * @example
 * ```ts
 * import { slidingWindow } from "@keel/rate-limiter";
 *
 * const policy = { name: "default", algorithm: "sliding-window", limit: 10, windowMs: 1_000 } as const;
 * // 10 admitted in window [0, 1000); at 1250 the estimate is 10 × 0.75 = 7.5, so 2 more fit.
 * const state = { window: 0, current: 10, previous: 0 };
 * const out = { allowed: false, remaining: 0, resetAt: 0, retryAfterMs: 0 };
 * slidingWindow.decide(state, policy, 1_250, 3, out); // refused, retryAfterMs: 50
 * ```
 */
export const slidingWindow: Algorithm<SlidingWindowState> = {
  name: "sliding-window",

  empty: () => ({ window: Number.NEGATIVE_INFINITY, current: 0, previous: 0 }),

  decide(
    state: Readonly<SlidingWindowState>,
    policy: RateLimitPolicy,
    now: number,
    cost: number,
    out: StepDecision,
  ) {
    const { limit, windowMs } = policy;
    const index = Math.floor(now / windowMs);
    const same = state.window === index;
    const current = same ? state.current : 0;
    const previous = same ? state.previous : state.window === index - 1 ? state.current : 0;
    const windowStart = index * windowMs;
    const left = windowStart + windowMs - now; // ms of the previous window still inside, in 1..windowMs
    // estimate × windowMs, an exact integer
    const weighted = previous * left;
    if (cost > limit) {
      const remaining = Math.max(0, limit - current - Math.ceil(weighted / windowMs));
      return refuseOverCapacity(
        remaining,
        resetAtOf(current, previous, windowStart, windowMs, now),
        windowMs,
        out,
      );
    }
    const need = cost === 0 ? 1 : cost;
    const allowed = weighted + (current + need) * windowMs <= limit * windowMs;
    const after = allowed ? current + cost : current;
    out.allowed = allowed;
    out.remaining = Math.max(0, limit - after - Math.ceil(weighted / windowMs));
    out.resetAt = resetAtOf(after, previous, windowStart, windowMs, now);
    out.retryAfterMs = allowed ? 0 : retryAfter(limit, windowMs, current, previous, left, need);
    return out;
  },

  apply(state: SlidingWindowState, policy: RateLimitPolicy, now: number, cost: number) {
    const index = Math.floor(now / policy.windowMs);
    if (state.window !== index) {
      state.previous = state.window === index - 1 ? state.current : 0;
      state.current = 0;
      state.window = index;
    }
    state.current += cost;
  },

  refund(state: SlidingWindowState, policy: RateLimitPolicy, now: number, units: number) {
    if (state.window === Math.floor(now / policy.windowMs))
      state.current = Math.max(0, state.current - units);
  },

  expiresAt: (state: Readonly<SlidingWindowState>, policy: RateLimitPolicy) =>
    (state.window + 2) * policy.windowMs,
};

function resetAtOf(
  current: number,
  previous: number,
  windowStart: number,
  windowMs: number,
  now: number,
): number {
  if (current > 0) return windowStart + 2 * windowMs;
  return previous > 0 ? windowStart + windowMs : now;
}

/**
 * The smallest t ≥ 1 with estimate(now + t) + need ≤ limit. The estimate only falls with time, so
 * solve in this window first (previous × (left − t) ≤ (limit − current − need) × W), then in the next
 * one, where `current` becomes the previous count: current × (left + W − t) ≤ (limit − need) × W.
 */
function retryAfter(
  limit: number,
  windowMs: number,
  current: number,
  previous: number,
  left: number,
  need: number,
) {
  const room = (limit - current - need) * windowMs;
  if (room >= 0 && previous > 0) {
    const slack = Math.floor(room / previous);
    if (slack >= 1) return left - slack;
  }
  if (current === 0) return left;
  return Math.max(left, left + windowMs - Math.floor(((limit - need) * windowMs) / current));
}
