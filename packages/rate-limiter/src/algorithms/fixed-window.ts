import type { RateLimitPolicy } from "../types.js";
import { type Algorithm, refuseOverCapacity, type StepDecision } from "./algorithm.js";

/**
 * The state of one key under `fixed-window`: units spent in the current window and when it began.
 *
 * @example
 * ```ts
 * import { fixedWindow, type FixedWindowState } from "@keel/rate-limiter";
 *
 * const state: FixedWindowState = fixedWindow.empty(); // { count: 0, start: -Infinity }
 * ```
 */
export interface FixedWindowState {
  /** Units spent in the window that began at `start`. */
  count: number;
  /** Epoch milliseconds of the first request of the window; `-Infinity` when there is none. */
  start: number;
}

/**
 * `fixed-window`, the original's algorithm: a window of `windowMs` opens at a key's first request
 * (not at a clock boundary) and admits up to `limit` units; the next request after it ends opens a
 * new one.
 *
 * Promises, for every key:
 * - at most `limit` units are admitted in each window, so at most `2 × limit` in any span of
 *   `windowMs` (a burst at the end of one window and the start of the next);
 * - a request of cost `c ≤ limit` is admitted exactly when `count + c ≤ limit`;
 * - `retryAfterMs` is exact: a refused request is refused until `start + windowMs` and admitted from
 *   then on (when nothing else arrives);
 * - `remaining = limit - count`, `resetAt = start + windowMs`;
 * - `refund` lowers `count` (not below 0) only while the window is still open.
 *
 * @example
 * ```ts
 * import { fixedWindow } from "@keel/rate-limiter";
 *
 * const policy = { name: "default", algorithm: "fixed-window", limit: 2, windowMs: 1_000 } as const;
 * const state = fixedWindow.empty();
 * const out = { allowed: false, remaining: 0, resetAt: 0, retryAfterMs: 0 };
 * for (const now of [0, 10, 20]) {
 *   if (fixedWindow.decide(state, policy, now, 1, out).allowed) fixedWindow.apply(state, policy, now, 1);
 * }
 * out; // { allowed: false, remaining: 0, resetAt: 1000, retryAfterMs: 980 }
 * ```
 */
export const fixedWindow: Algorithm<FixedWindowState> = {
  name: "fixed-window",

  empty: () => ({ count: 0, start: Number.NEGATIVE_INFINITY }),

  decide(
    state: Readonly<FixedWindowState>,
    policy: RateLimitPolicy,
    now: number,
    cost: number,
    out: StepDecision,
  ) {
    const { limit, windowMs } = policy;
    const open = now < state.start + windowMs;
    const count = open ? state.count : 0;
    const resetAt = (open ? state.start : now) + windowMs;
    if (cost > limit) return refuseOverCapacity(limit - count, resetAt, windowMs, out);
    const allowed = count + (cost === 0 ? 1 : cost) <= limit;
    out.allowed = allowed;
    out.remaining = limit - count - (allowed ? cost : 0);
    out.resetAt = resetAt;
    out.retryAfterMs = allowed ? 0 : resetAt - now;
    return out;
  },

  apply(state: FixedWindowState, policy: RateLimitPolicy, now: number, cost: number) {
    if (now >= state.start + policy.windowMs) {
      state.count = 0;
      state.start = now;
    }
    state.count += cost;
  },

  refund(state: FixedWindowState, policy: RateLimitPolicy, now: number, units: number) {
    if (now < state.start + policy.windowMs) state.count = Math.max(0, state.count - units);
  },

  expiresAt: (state: Readonly<FixedWindowState>, policy: RateLimitPolicy) => state.start + policy.windowMs,
};
