// Plain reference models of the four algorithms, written from their definitions with a full history
// and BigInt arithmetic, plus the fast-check arbitraries and the runner the property tests share.
import fc from "fast-check";
import type { Algorithm, StepDecision } from "../../src/algorithms/algorithm.js";
import type { RateLimitAlgorithm, RateLimitPolicy } from "../../src/types.js";

export interface Model {
  /** The decision at `now` for `cost` (0 = peek), without changing anything. */
  decide(now: number, cost: number): StepDecision;
  /** Records an admitted request. */
  consume(now: number, cost: number): void;
  /** Gives units back. */
  refund(now: number, units: number): void;
}

const big = BigInt;
const min = (a: bigint, b: bigint) => (a < b ? a : b);
const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/** Smallest t ≥ 1 at which `allowedAt(now + t)` holds, searching up to `limit` ms (brute force). */
export function firstAdmitted(now: number, allowedAt: (at: number) => boolean, limit: number): number {
  for (let t = 1; t <= limit; t++) if (allowedAt(now + t)) return t;
  throw new Error(`no admission within ${limit} ms`);
}

/** fixed-window: an explicit list of windows, each opened by the first request after the last ended. */
export class FixedWindowModel implements Model {
  readonly windows: { start: number; used: number }[] = [];
  constructor(private readonly policy: RateLimitPolicy) {}

  private open(now: number) {
    const last = this.windows.at(-1);
    return last && now < last.start + this.policy.windowMs ? last : undefined;
  }

  decide(now: number, cost: number): StepDecision {
    const { limit, windowMs } = this.policy;
    const window = this.open(now);
    const used = window?.used ?? 0;
    const resetAt = (window?.start ?? now) + windowMs;
    const allowed = cost <= limit && used + Math.max(cost, 1) <= limit;
    const retryAfterMs = allowed ? 0 : cost > limit ? windowMs : resetAt - now;
    return { allowed, remaining: limit - used - (allowed ? cost : 0), resetAt, retryAfterMs };
  }

  consume(now: number, cost: number): void {
    const window = this.open(now) ?? { start: now, used: 0 };
    if (window !== this.windows.at(-1)) this.windows.push(window);
    window.used += cost;
  }

  refund(now: number, units: number): void {
    const window = this.open(now);
    if (window) window.used = Math.max(0, window.used - units);
  }
}

/** sliding-window: units per aligned window in a map; the weighted estimate in exact rationals. */
export class SlidingWindowModel implements Model {
  readonly used = new Map<number, number>();
  constructor(private readonly policy: RateLimitPolicy) {}

  /** estimate × W at `now` with `extra` more units in the current window. */
  private scaled(now: number, extra: number): bigint {
    const W = this.policy.windowMs;
    const index = Math.floor(now / W);
    const left = big(index * W + W - now);
    const previous = big(this.used.get(index - 1) ?? 0);
    const current = big((this.used.get(index) ?? 0) + extra);
    return previous * left + current * big(W);
  }

  decide(now: number, cost: number): StepDecision {
    const { limit, windowMs: W } = this.policy;
    const index = Math.floor(now / W);
    const allowed = cost <= limit && this.scaled(now, Math.max(cost, 1)) <= big(limit * W);
    const after = this.scaled(now, allowed ? cost : 0);
    const remaining = Number(floorDiv(big(limit * W) - after, big(W)));
    const current = (this.used.get(index) ?? 0) + (allowed ? cost : 0);
    const previous = this.used.get(index - 1) ?? 0;
    const resetAt = current > 0 ? index * W + 2 * W : previous > 0 ? index * W + W : now;
    const retryAfterMs = allowed
      ? 0
      : cost > limit
        ? W
        : firstAdmitted(now, (at) => this.scaled(at, Math.max(cost, 1)) <= big(limit * W), 3 * W);
    return { allowed, remaining: Math.max(0, remaining), resetAt, retryAfterMs };
  }

  consume(now: number, cost: number): void {
    const index = Math.floor(now / this.policy.windowMs);
    this.used.set(index, (this.used.get(index) ?? 0) + cost);
  }

  refund(now: number, units: number): void {
    const index = Math.floor(now / this.policy.windowMs);
    this.used.set(index, Math.max(0, (this.used.get(index) ?? 0) - units));
  }
}

/**
 * token-bucket and gcra (they decide alike): the bucket level from the whole history, without any
 * stored level, by the min-plus form of the refill recursion. Scaled by W:
 * tokens(t) = min(B, min over admitted events j of (B + L·(t − t_j) − W·Σ_{i ≥ j} c_i)).
 * No refunds here: the refund tests compare the two algorithms with each other instead.
 */
export class BucketModel implements Model {
  readonly admitted: { at: number; cost: number }[] = [];
  constructor(private readonly policy: RateLimitPolicy) {}

  private get burst() {
    return this.policy.burst ?? this.policy.limit;
  }

  /** tokens × W at `now`. */
  tokens(now: number): bigint {
    const { limit: L, windowMs: W } = this.policy;
    const cap = big(this.burst * W);
    let level = cap;
    let suffix = 0n;
    for (let j = this.admitted.length - 1; j >= 0; j--) {
      const event = this.admitted[j]!;
      suffix += big(event.cost * W);
      level = min(level, cap + big(L) * big(now - event.at) - suffix);
    }
    return level;
  }

  decide(now: number, cost: number): StepDecision {
    const { limit: L, windowMs: W } = this.policy;
    const tokens = this.tokens(now);
    const need = big(Math.max(cost, 1) * W);
    const allowed = cost <= this.burst && tokens >= need;
    const after = allowed ? tokens - big(cost * W) : tokens;
    const cap = big(this.burst * W);
    const retryAfterMs = allowed
      ? 0
      : cost > this.burst
        ? W
        : firstAdmitted(now, (at) => this.tokens(at) >= need, this.burst * W + W);
    return {
      allowed,
      remaining: Number(after / big(W)),
      resetAt: now + Number((cap - after + big(L) - 1n) / big(L)),
      retryAfterMs,
    };
  }

  consume(now: number, cost: number): void {
    this.admitted.push({ at: now, cost });
  }

  refund(): void {
    throw new Error("BucketModel has no refunds");
  }
}

export function modelFor(policy: RateLimitPolicy): Model {
  if (policy.algorithm === "fixed-window") return new FixedWindowModel(policy);
  if (policy.algorithm === "sliding-window") return new SlidingWindowModel(policy);
  return new BucketModel(policy);
}

export const T0 = 1_700_000_000_000;

/** A policy small enough for brute-force retry searches. */
export function arbPolicy(algorithm: RateLimitAlgorithm): fc.Arbitrary<RateLimitPolicy> {
  const bucket = algorithm === "token-bucket" || algorithm === "gcra";
  return fc
    .record({
      limit: fc.integer({ min: 1, max: 12 }),
      windowMs: fc.integer({ min: 1, max: 120 }),
      burst: bucket ? fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }) : fc.constant(undefined),
    })
    .map(({ limit, windowMs, burst }) => ({
      name: "p",
      algorithm,
      limit,
      windowMs,
      ...(burst === undefined ? {} : { burst }),
    }));
}

export interface Op {
  /** ms since the previous operation */
  readonly dt: number;
  /** units this request spends (0 = peek); may exceed capacity */
  readonly cost: number;
  /** units refunded after the request, 0 for none */
  readonly refund: number;
}

export function arbOps(policy: RateLimitPolicy, { refunds }: { refunds: boolean }): fc.Arbitrary<Op[]> {
  const capacity = Math.max(policy.limit, policy.burst ?? 0);
  const op = fc.record({
    dt: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: policy.windowMs * 3 }),
      fc.integer({ min: 0, max: 5 }),
    ),
    cost: fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 1, max: 3 }) },
      { weight: 1, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: capacity + 2 }) },
    ),
    refund: refunds
      ? fc.oneof(
          { weight: 4, arbitrary: fc.constant(0) },
          { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) },
        )
      : fc.constant(0),
  });
  return fc.array(op, { minLength: 1, maxLength: 60 });
}

export interface Step {
  readonly now: number;
  readonly cost: number;
  readonly decision: StepDecision;
}

/** Runs `ops` through `algorithm` from an empty state, calling `check` before each step is applied. */
export function run<S>(
  algorithm: Algorithm<S>,
  policy: RateLimitPolicy,
  ops: readonly Op[],
  start: number,
  check?: (step: Step, state: S) => void,
): Step[] {
  const state = algorithm.empty();
  const steps: Step[] = [];
  let now = start;
  for (const op of ops) {
    now += op.dt;
    const decision = { ...algorithm.decide(state, policy, now, op.cost, emptyDecision()) };
    const step = { now, cost: op.cost, decision };
    check?.(step, state);
    if (decision.allowed && op.cost > 0) algorithm.apply(state, policy, now, op.cost);
    if (op.refund > 0) algorithm.refund(state, policy, now, op.refund);
    steps.push(step);
  }
  return steps;
}

export function emptyDecision(): StepDecision {
  return { allowed: false, remaining: -1, resetAt: Number.NaN, retryAfterMs: Number.NaN };
}
