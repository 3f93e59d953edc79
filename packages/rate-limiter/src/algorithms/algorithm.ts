import type { RateLimitAlgorithm, RateLimitPolicy } from "../types.js";

/**
 * What one algorithm step decides for one policy. A store fills one of these per policy and turns
 * it into a {@link PolicyDecision}; it is mutable so a hot path can reuse one object.
 *
 * @example
 * ```ts
 * import { fixedWindow, type StepDecision } from "@keel/rate-limiter";
 *
 * const out: StepDecision = { allowed: false, remaining: 0, resetAt: 0, retryAfterMs: 0 };
 * const policy = { name: "default", algorithm: "fixed-window", limit: 10, windowMs: 60_000 } as const;
 * fixedWindow.decide(fixedWindow.empty(), policy, Date.now(), 1, out);
 * out.allowed; // true
 * ```
 */
export interface StepDecision {
  /** Whether the request is admitted (for a peek, `cost` 0: whether a request of cost 1 would be). */
  allowed: boolean;
  /** Units left after this decision, a non-negative integer. */
  remaining: number;
  /** Epoch milliseconds at which the full quota is available again. */
  resetAt: number;
  /** Milliseconds until the same request would be admitted, absent other traffic; 0 when allowed. */
  retryAfterMs: number;
}

/**
 * One rate-limiting algorithm as a set of state transitions over integer milliseconds. Every store
 * that runs in JavaScript can use these; the Redis store's Lua scripts implement the same transitions.
 *
 * The contract, for every algorithm:
 * - `decide` is pure: it reads `state` and writes only `out`.
 * - `apply` is called only after `decide` admitted the same `cost` at the same `now`, and writes
 *   the consumption into `state` in place (no allocation).
 * - A refused request never changes state. A cost above the policy's capacity ({@link capacityOf})
 *   is refused with `retryAfterMs` equal to the window, since waiting can never admit it.
 * - `refund` never raises the quota above capacity and never brings back an expired window.
 * - `expiresAt` is the epoch millisecond after which the state means the same as {@link Algorithm.empty}.
 *
 * @typeParam S - the algorithm's state, a small record of numbers.
 * @example
 * ```ts
 * import { gcra } from "@keel/rate-limiter";
 *
 * const policy = { name: "api", algorithm: "gcra", limit: 10, windowMs: 1_000 } as const;
 * const state = gcra.empty();
 * const out = { allowed: false, remaining: 0, resetAt: 0, retryAfterMs: 0 };
 * const now = Date.now();
 * if (gcra.decide(state, policy, now, 1, out).allowed) gcra.apply(state, policy, now, 1);
 * ```
 */
export interface Algorithm<S> {
  /** The algorithm's name, as in {@link RateLimitPolicy.algorithm}. */
  readonly name: RateLimitAlgorithm;
  /** A new state standing for "never seen": the next step starts from a full quota. */
  empty(): S;
  /** Decides `cost` units (0 = peek) at `now` without changing `state`; returns `out`. */
  decide(
    state: Readonly<S>,
    policy: RateLimitPolicy,
    now: number,
    cost: number,
    out: StepDecision,
  ): StepDecision;
  /** Consumes `cost` units at `now`, in place. Call only after `decide` admitted the same request. */
  apply(state: S, policy: RateLimitPolicy, now: number, cost: number): void;
  /** Gives `units` back at `now`, in place, never above capacity and never into an expired window. */
  refund(state: S, policy: RateLimitPolicy, now: number, units: number): void;
  /** Epoch milliseconds after which `state` carries no information and may be dropped. */
  expiresAt(state: Readonly<S>, policy: RateLimitPolicy): number;
}

/**
 * The most units one request can ever spend under `policy`: its `burst` (default `limit`) for
 * `token-bucket` and `gcra`, its `limit` for the window algorithms. A larger cost is always refused.
 *
 * @example
 * ```ts
 * import { capacityOf } from "@keel/rate-limiter";
 *
 * capacityOf({ name: "b", algorithm: "token-bucket", limit: 10, windowMs: 1_000, burst: 20 }); // 20
 * ```
 */
export function capacityOf(policy: RateLimitPolicy): number {
  if (policy.algorithm === "token-bucket" || policy.algorithm === "gcra") return policy.burst ?? policy.limit;
  return policy.limit;
}

/** Writes a refusal for a cost the policy can never admit: nothing changes, retry after one window. */
export function refuseOverCapacity(
  remaining: number,
  resetAt: number,
  windowMs: number,
  out: StepDecision,
): StepDecision {
  out.allowed = false;
  out.remaining = remaining;
  out.resetAt = resetAt;
  out.retryAfterMs = windowMs;
  return out;
}
