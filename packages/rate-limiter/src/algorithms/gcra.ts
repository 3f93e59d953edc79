import type { RateLimitPolicy } from "../types.js";
import { type Algorithm, refuseOverCapacity, type StepDecision } from "./algorithm.js";

/**
 * The state of one key under `gcra`: one timestamp, the theoretical arrival time (TAT), kept exactly
 * as `tat + frac / limit` milliseconds so an emission interval of `windowMs / limit` never rounds.
 *
 * @example
 * ```ts
 * import { gcra, type GcraState } from "@keel/rate-limiter";
 *
 * const state: GcraState = gcra.empty(); // { tat: -Infinity, frac: 0 }
 * ```
 */
export interface GcraState {
  /** Whole epoch milliseconds of the theoretical arrival time; `-Infinity` when there is none. */
  tat: number;
  /** The fraction of a millisecond past `tat`, in units of `1 / limit` ms: an integer in `[0, limit)`. */
  frac: number;
}

/**
 * `gcra`, the generic cell rate algorithm: one timestamp per key, a smooth rate of one unit every
 * `T = windowMs / limit` ms and an allowance of `burst` units (default `limit`) at once. A request of
 * cost `c` moves the TAT to `max(tat, now) + c·T` and is admitted when that is at most `now + burst·T`.
 *
 * Promises, for every key (all arithmetic exact, in integers scaled by `limit`):
 * - in any span of `d` ms at most `burst + d / T` units are admitted; it decides exactly as
 *   `token-bucket` with the same `limit`, `windowMs` and `burst`;
 * - `remaining` is the number of unit requests that would be admitted right now, in `[0, burst]`;
 * - `retryAfterMs` is exact: `ceil(tat + c·T − burst·T − now)`, the first millisecond at which the same
 *   request is admitted (when nothing else arrives);
 * - `resetAt = ceil(tat)`, when the full burst is available again;
 * - `refund` moves the TAT back by `units·T`, never before now, and only while it is in the future.
 *
 * @example
 * ```ts
 * import { gcra } from "@keel/rate-limiter";
 *
 * // 3 per second, no burst beyond the rate: T = 333⅓ ms
 * const policy = { name: "api", algorithm: "gcra", limit: 3, windowMs: 1_000, burst: 1 } as const;
 * const state = gcra.empty();
 * const out = { allowed: false, remaining: 0, resetAt: 0, retryAfterMs: 0 };
 * gcra.decide(state, policy, 0, 1, out); // allowed
 * gcra.apply(state, policy, 0, 1); // tat = 333⅓
 * gcra.decide(state, policy, 0, 1, out); // refused, retryAfterMs: 334
 * ```
 */
export const gcra: Algorithm<GcraState> = {
  name: "gcra",

  empty: () => ({ tat: Number.NEGATIVE_INFINITY, frac: 0 }),

  decide(state: Readonly<GcraState>, policy: RateLimitPolicy, now: number, cost: number, out: StepDecision) {
    const { limit, windowMs } = policy;
    const burst = policy.burst ?? limit;
    // max(tat, now): a TAT in the past means the full burst is available
    const future = state.tat >= now;
    const tat = future ? state.tat : now;
    const frac = future ? state.frac : 0;
    if (cost > burst)
      return refuseOverCapacity(remainingAt(now, tat, frac, policy, burst), ceil(tat, frac), windowMs, out);
    // allowAt = tat + (need − burst)·T, split into whole ms and 1/limit fractions
    const offset = frac + ((cost === 0 ? 1 : cost) - burst) * windowMs;
    const whole = Math.floor(offset / limit);
    const allowAt = tat + whole;
    const allowFrac = offset - whole * limit;
    const allowed = now > allowAt || (now === allowAt && allowFrac === 0);
    let afterTat = tat;
    let afterFrac = frac;
    if (allowed && cost > 0) {
      const moved = frac + cost * windowMs;
      const carry = Math.floor(moved / limit);
      afterTat = tat + carry;
      afterFrac = moved - carry * limit;
    }
    out.allowed = allowed;
    out.remaining = remainingAt(now, afterTat, afterFrac, policy, burst);
    out.resetAt = ceil(afterTat, afterFrac);
    out.retryAfterMs = allowed ? 0 : ceil(allowAt, allowFrac) - now;
    return out;
  },

  apply(state: GcraState, policy: RateLimitPolicy, now: number, cost: number) {
    const future = state.tat >= now;
    const moved = (future ? state.frac : 0) + cost * policy.windowMs;
    const carry = Math.floor(moved / policy.limit);
    state.tat = (future ? state.tat : now) + carry;
    state.frac = moved - carry * policy.limit;
  },

  refund(state: GcraState, policy: RateLimitPolicy, now: number, units: number) {
    if (state.tat < now || (state.tat === now && state.frac === 0)) return; // no state, or TAT not ahead
    const moved = state.frac - units * policy.windowMs;
    const carry = Math.floor(moved / policy.limit);
    const tat = state.tat + carry;
    if (tat < now) {
      state.tat = now;
      state.frac = 0;
    } else {
      state.tat = tat;
      state.frac = moved - carry * policy.limit;
    }
  },

  expiresAt: (state: Readonly<GcraState>) => ceil(state.tat, state.frac),
};

/** `ceil(ms + frac / limit)` for `frac` in `[0, limit)`. */
function ceil(ms: number, frac: number): number {
  return frac > 0 ? ms + 1 : ms;
}

/** Unit requests admissible at `now` with the TAT at `tat + frac / limit` (≥ now): floor(burst − (TAT − now) / T). */
function remainingAt(now: number, tat: number, frac: number, policy: RateLimitPolicy, burst: number): number {
  const left = burst + Math.floor(((now - tat) * policy.limit - frac) / policy.windowMs);
  return Math.max(0, Math.min(left, burst));
}
