import { expect } from "vitest";
import type { PolicyDecision, RateLimitAlgorithm, RateLimitPolicy, RateLimitStore } from "../types.js";
import type { ManualClock } from "./manual-clock.js";

/** Everything one conformance test needs: the store under test, unique keys, and a way to let time pass. */
export interface Harness {
  readonly store: RateLimitStore;
  /** The controllable clock the store reads, when the suite was given one. */
  readonly clock: ManualClock | undefined;
  /** A key no other test (or run, or process) uses. */
  key(label: string): string;
  /** Lets `ms` pass: advances the manual clock, or waits in real time when there is none. */
  pass(ms: number): Promise<void>;
  /** One decision under one policy. */
  one(key: string, policy: RateLimitPolicy, cost?: number): Promise<PolicyDecision>;
}

const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
let sequence = 0;

export function harness(store: RateLimitStore, clock: ManualClock | undefined): Harness {
  const id = ++sequence;
  return {
    store,
    clock,
    key: (label) => `conformance:${run}:${id}:${label}`,
    async pass(ms) {
      if (clock !== undefined) clock.advance(ms);
      else await new Promise((resolve) => setTimeout(resolve, ms));
    },
    async one(key, policy, cost = 1) {
      const decisions = await store.consume({ key, policies: [policy], cost });
      expect(decisions).toHaveLength(1);
      return wellFormed(decisions[0] as PolicyDecision);
    },
  };
}

/** Asserts the invariants every decision keeps, and returns it. */
export function wellFormed(decision: PolicyDecision): PolicyDecision {
  expect(typeof decision.allowed).toBe("boolean");
  expect(Number.isSafeInteger(decision.remaining) && decision.remaining >= 0).toBe(true);
  expect(Number.isSafeInteger(decision.resetAt)).toBe(true);
  expect(Number.isSafeInteger(decision.retryAfterMs)).toBe(true);
  expect(decision.retryAfterMs === 0).toBe(decision.allowed);
  if (decision.blockedUntil !== undefined) {
    expect(decision.allowed).toBe(false);
    expect(decision.remaining).toBe(0);
  }
  return decision;
}

export const ALGORITHMS: readonly RateLimitAlgorithm[] = [
  "fixed-window",
  "sliding-window",
  "token-bucket",
  "gcra",
];

/** A policy whose window is long enough that no refill or window change happens during a test. */
export function hourly(
  algorithm: RateLimitAlgorithm,
  limit: number,
  extra: Partial<RateLimitPolicy> = {},
): RateLimitPolicy {
  return { name: `${algorithm}-${limit}`, algorithm, limit, windowMs: 3_600_000, ...extra };
}

/** Spends `count` single units, asserting each is admitted; returns the last decision. */
export async function spend(
  h: Harness,
  key: string,
  policy: RateLimitPolicy,
  count: number,
): Promise<PolicyDecision> {
  let last: PolicyDecision | undefined;
  for (let i = 0; i < count; i++) {
    last = await h.one(key, policy);
    expect(last.allowed).toBe(true);
  }
  return last as PolicyDecision;
}
