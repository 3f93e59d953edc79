import type { RateLimitPolicy } from "../types.js";
import { type Algorithm, refuseOverCapacity, type StepDecision } from "./algorithm.js";

/**
 * The state of one key under `token-bucket`. Tokens are kept multiplied by `windowMs`, so refilling
 * `limit / windowMs` tokens per millisecond is an exact integer addition of `limit` per millisecond.
 *
 * @example
 * ```ts
 * import { tokenBucket, type TokenBucketState } from "@keel/rate-limiter";
 *
 * const state: TokenBucketState = tokenBucket.empty(); // { scaledTokens: 0, updatedAt: -Infinity }: full
 * ```
 */
export interface TokenBucketState {
  /** Tokens × `windowMs` at `updatedAt`. */
  scaledTokens: number;
  /** Epoch milliseconds of the last change; `-Infinity` when there is none (the bucket is full). */
  updatedAt: number;
}

/** Tokens × windowMs at `now`: the stored amount plus `limit` per elapsed millisecond, capped. */
function scaledAt(
  state: Readonly<TokenBucketState>,
  policy: RateLimitPolicy,
  now: number,
  cap: number,
): number {
  const elapsed = now - state.updatedAt;
  if (elapsed <= 0) return state.scaledTokens; // a clock that steps back refills nothing
  // Compare before multiplying so a long idle time cannot overflow 2^53.
  return elapsed >= (cap - state.scaledTokens) / policy.limit
    ? cap
    : state.scaledTokens + elapsed * policy.limit;
}

/**
 * `token-bucket`: a bucket of `burst` tokens (default `limit`), refilled continuously at
 * `limit / windowMs` tokens per millisecond; a request takes `cost` tokens. A new key starts full.
 *
 * Promises, for every key (all arithmetic exact, in integers scaled by `windowMs`):
 * - a request of cost `c ≤ burst` is admitted exactly when the bucket holds `c` tokens, so in any
 *   span of `d` ms at most `burst + d × limit / windowMs` units are admitted;
 * - `remaining = floor(tokens)` after the decision, `resetAt` is when the bucket is full again;
 * - `retryAfterMs` is exact: `ceil((c − tokens) × windowMs / limit)`, the first millisecond at which
 *   the bucket holds `c` tokens (when nothing else arrives);
 * - `refund` adds tokens (never above `burst`) only to a key that has state.
 *
 * It decides exactly as `gcra` does; the two differ only in the state they keep.
 *
 * @example
 * ```ts
 * import { tokenBucket } from "@keel/rate-limiter";
 *
 * // 10 per second with bursts of 20
 * const policy = { name: "api", algorithm: "token-bucket", limit: 10, windowMs: 1_000, burst: 20 } as const;
 * const out = { allowed: false, remaining: 0, resetAt: 0, retryAfterMs: 0 };
 * tokenBucket.decide({ scaledTokens: 0, updatedAt: 0 }, policy, 0, 1, out); // refused, retryAfterMs: 100
 * ```
 */
export const tokenBucket: Algorithm<TokenBucketState> = {
  name: "token-bucket",

  empty: () => ({ scaledTokens: 0, updatedAt: Number.NEGATIVE_INFINITY }),

  decide(
    state: Readonly<TokenBucketState>,
    policy: RateLimitPolicy,
    now: number,
    cost: number,
    out: StepDecision,
  ) {
    const { limit, windowMs } = policy;
    const burst = policy.burst ?? limit;
    const cap = burst * windowMs;
    const tokens = scaledAt(state, policy, now, cap);
    if (cost > burst) {
      return refuseOverCapacity(
        Math.floor(tokens / windowMs),
        now + Math.ceil((cap - tokens) / limit),
        windowMs,
        out,
      );
    }
    const need = (cost === 0 ? 1 : cost) * windowMs;
    const allowed = tokens >= need;
    const after = allowed ? tokens - cost * windowMs : tokens;
    out.allowed = allowed;
    out.remaining = Math.floor(after / windowMs);
    out.resetAt = now + Math.ceil((cap - after) / limit);
    out.retryAfterMs = allowed ? 0 : Math.ceil((need - tokens) / limit);
    return out;
  },

  apply(state: TokenBucketState, policy: RateLimitPolicy, now: number, cost: number) {
    const cap = (policy.burst ?? policy.limit) * policy.windowMs;
    state.scaledTokens = scaledAt(state, policy, now, cap) - cost * policy.windowMs;
    if (now > state.updatedAt) state.updatedAt = now;
  },

  refund(state: TokenBucketState, policy: RateLimitPolicy, now: number, units: number) {
    if (state.updatedAt === Number.NEGATIVE_INFINITY) return;
    const cap = (policy.burst ?? policy.limit) * policy.windowMs;
    state.scaledTokens = Math.min(cap, scaledAt(state, policy, now, cap) + units * policy.windowMs);
    if (now > state.updatedAt) state.updatedAt = now;
  },

  expiresAt(state: Readonly<TokenBucketState>, policy: RateLimitPolicy) {
    const cap = (policy.burst ?? policy.limit) * policy.windowMs;
    return state.updatedAt + Math.ceil((cap - state.scaledTokens) / policy.limit);
  },
};
