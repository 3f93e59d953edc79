import { capacityOf } from "./algorithms/algorithm.js";
import type { PolicyDecision, RateLimitPolicy } from "./types.js";

/**
 * Why a check was decided the way it was, when it was not an ordinary admission:
 * - `limit`: a policy's quota is spent;
 * - `blocked`: the key is serving a `blockDuration`;
 * - `denied`: the key is on the `denyList`;
 * - `cost-exceeds-limit`: the cost is above a policy's capacity, so it can never be admitted (nothing
 *   is spent and nothing is blocked; `retryAfter` is one window);
 * - `store-error`: the store failed or timed out and `onStoreError` decided (with `insurance`, the
 *   insurance store decides and reasons are its own);
 * - `allow-listed`: the key is on the `allowList`.
 *
 * @example
 * ```ts
 * const result = await limiter.check(key);
 * if (result.reason === "store-error") metrics.increment("rate_limit_degraded");
 * ```
 */
export type RateLimitReason =
  | "limit"
  | "blocked"
  | "denied"
  | "cost-exceeds-limit"
  | "store-error"
  | "allow-listed";

/**
 * One policy's part of a decision.
 *
 * @example
 * ```ts
 * const { policies } = await limiter.check("user:42");
 * for (const p of policies) console.log(p.policy, p.remaining, "of", p.limit, "per", p.window, "s");
 * ```
 */
export interface PolicyResult {
  /** The policy's name. */
  readonly policy: string;
  /** Whether this policy admits the request. */
  readonly allowed: boolean;
  /** Units per window. */
  readonly limit: number;
  /** Window length in seconds. */
  readonly window: number;
  /** Units left, never negative. */
  readonly remaining: number;
  /** Epoch milliseconds at which this policy's full quota is back. */
  readonly resetAt: number;
  /** Milliseconds until this policy would admit the same request; 0 when it admits. */
  readonly retryAfterMs: number;
  /** Epoch milliseconds until which this policy blocks the key, when it does. */
  readonly blockedUntil?: number;
}

/**
 * What `check` (and `get`) resolve to. The top-level numbers are those of the policy named in
 * `policy`: the one that refused (the longest wait, when several did) or, when admitted, the one with
 * the fewest units left.
 *
 * @example
 * ```ts
 * const { allowed, remaining, retryAfter } = await limiter.check("user:42");
 * if (!allowed) console.log(`retry in ${retryAfter} s`);
 * ```
 */
export interface RateLimitResult {
  /** Whether the request is admitted. */
  readonly allowed: boolean;
  /** Units per window of the reported policy. */
  readonly limit: number;
  /** Window length in seconds of the reported policy. */
  readonly window: number;
  /** Units left in the reported policy, never negative. */
  readonly remaining: number;
  /** Epoch milliseconds at which the reported policy's full quota is back. */
  readonly resetAt: number;
  /** Whole seconds to wait before retrying (rounded up); 0 when allowed. */
  readonly retryAfter: number;
  /** Milliseconds to wait before retrying; 0 when allowed. Exact for every algorithm (see its TSDoc). */
  readonly retryAfterMs: number;
  /** The name of the reported policy. */
  readonly policy: string;
  /** Why, when it is not an ordinary admission (see {@link RateLimitReason}). */
  readonly reason?: RateLimitReason;
  /** Every policy's part, in the order the policies were given. */
  readonly policies: readonly PolicyResult[];
}

/** A store's decision, or a slot one was written into (whose `blockedUntil` may be present but undefined). */
type DecisionView = Omit<PolicyDecision, "blockedUntil"> & { readonly blockedUntil?: number | undefined };

function policyResult(policy: RateLimitPolicy, decision: DecisionView): PolicyResult {
  const { blockedUntil } = decision;
  const result = unblockedResult(policy, decision);
  // A spread only on the rare blocked path: the common shape stays one literal, small enough to inline.
  return blockedUntil === undefined ? result : { ...result, blockedUntil };
}

function unblockedResult(policy: RateLimitPolicy, decision: DecisionView): PolicyResult {
  return {
    policy: policy.name,
    allowed: decision.allowed,
    limit: policy.limit,
    window: policy.windowMs / 1000,
    remaining: decision.remaining,
    resetAt: decision.resetAt,
    retryAfterMs: decision.retryAfterMs,
  };
}

function summary(
  top: PolicyResult,
  reason: RateLimitReason | undefined,
  policies: PolicyResult[],
): RateLimitResult {
  const admitted = admittedSummary(top, policies);
  if (reason === undefined) return admitted;
  return {
    ...admitted,
    allowed: reason === "allow-listed" || (reason === "store-error" && top.allowed),
    reason,
  };
}

function admittedSummary(top: PolicyResult, policies: PolicyResult[]): RateLimitResult {
  return {
    allowed: true,
    limit: top.limit,
    window: top.window,
    remaining: top.remaining,
    resetAt: top.resetAt,
    retryAfter: Math.ceil(top.retryAfterMs / 1000),
    retryAfterMs: top.retryAfterMs,
    policy: top.policy,
    policies,
  };
}

function reasonOf(result: PolicyResult): RateLimitReason | undefined {
  return result.allowed ? undefined : result.blockedUntil === undefined ? "limit" : "blocked";
}

/** One policy's decision as the result (the single-policy case; `decision` is copied, not kept). */
export function fromDecision(policy: RateLimitPolicy, decision: DecisionView): RateLimitResult {
  const only = policyResult(policy, decision);
  return summary(only, reasonOf(only), [only]);
}

/** Combines a store's decisions: admitted only when every policy admits. */
export function fromDecisions(
  policies: readonly RateLimitPolicy[],
  decisions: readonly PolicyDecision[],
): RateLimitResult {
  if (policies.length === 1)
    return fromDecision(policies[0] as RateLimitPolicy, decisions[0] as PolicyDecision);
  const results: PolicyResult[] = [];
  let top = 0;
  let allowed = true;
  for (let i = 0; i < policies.length; i++) {
    const result = policyResult(policies[i] as RateLimitPolicy, decisions[i] as PolicyDecision);
    results.push(result);
    const best = results[top] as PolicyResult;
    if (!result.allowed) {
      if (allowed || result.retryAfterMs > best.retryAfterMs) top = i;
      allowed = false;
    } else if (allowed && result.remaining < best.remaining) {
      top = i;
    }
  }
  const chosen = results[top] as PolicyResult;
  return summary(
    chosen,
    allowed ? undefined : chosen.blockedUntil === undefined ? "limit" : "blocked",
    results,
  );
}

/**
 * A refusal of a cost above some policy's capacity: `current` is every policy's state from a peek,
 * left untouched; retry after one window of the first policy the cost exceeds.
 */
export function overCapacity(
  policies: readonly RateLimitPolicy[],
  current: readonly PolicyResult[],
  cost: number,
): RateLimitResult {
  let top = -1;
  const results = policies.map((policy, i) => {
    const now = current[i] as PolicyResult;
    if (cost <= capacityOf(policy)) return now;
    if (top < 0) top = i;
    return { ...now, allowed: false, retryAfterMs: policy.windowMs };
  });
  return summary(results[top] as PolicyResult, "cost-exceeds-limit", results);
}

/**
 * A decision made without the store: `denied`, `allow-listed`, or `store-error` under `onStoreError`.
 * Admitted results report the full limit; refused ones a retry of one second (one window when denied).
 */
export function withoutStore(
  policies: readonly RateLimitPolicy[],
  reason: "denied" | "allow-listed" | "store-error",
  allowed: boolean,
  now: number,
): RateLimitResult {
  const results = policies.map((policy): PolicyResult => {
    const retryAfterMs = allowed ? 0 : reason === "denied" ? policy.windowMs : 1000;
    return {
      policy: policy.name,
      allowed,
      limit: policy.limit,
      window: policy.windowMs / 1000,
      remaining: allowed ? policy.limit : 0,
      resetAt: now + retryAfterMs,
      retryAfterMs,
    };
  });
  return summary(results[0] as PolicyResult, reason, results);
}
