import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gcra } from "../../src/algorithms/gcra.js";
import { tokenBucket } from "../../src/algorithms/token-bucket.js";
import { algorithmContract } from "./contract.js";
import { arbOps, arbPolicy, emptyDecision, run, T0 } from "./model.js";

const policy = { name: "api", algorithm: "token-bucket", limit: 10, windowMs: 1_000, burst: 20 } as const;

describe("token-bucket", () => {
  algorithmContract(tokenBucket);

  it("starts full, spends tokens and refills limit / windowMs per millisecond", () => {
    const state = tokenBucket.empty();
    expect(tokenBucket.decide(state, policy, T0, 20, emptyDecision())).toEqual({
      allowed: true,
      remaining: 0,
      resetAt: T0 + 2_000,
      retryAfterMs: 0,
    });
    tokenBucket.apply(state, policy, T0, 20);
    expect(tokenBucket.decide(state, policy, T0 + 99, 1, emptyDecision())).toMatchObject({
      allowed: false,
      retryAfterMs: 1,
    });
    // 2.5 tokens at 250 ms: 2 are spent, 0.5 is left, 19.5 more take 1950 ms
    expect(tokenBucket.decide(state, policy, T0 + 250, 2, emptyDecision())).toEqual({
      allowed: true,
      remaining: 0,
      resetAt: T0 + 2_200,
      retryAfterMs: 0,
    });
  });

  it("admits at most burst + d × limit / windowMs units in any span of d ms", () => {
    fc.assert(
      fc.property(
        arbPolicy("token-bucket").chain((p) => fc.tuple(fc.constant(p), arbOps(p, { refunds: false }))),
        ([p, ops]) => {
          const admitted = run(tokenBucket, p, ops, T0).filter((s) => s.decision.allowed && s.cost > 0);
          const burst = p.burst ?? p.limit;
          for (let i = 0; i < admitted.length; i++) {
            let units = 0;
            for (let j = i; j < admitted.length; j++) {
              units += admitted[j]!.cost;
              const span = admitted[j]!.now - admitted[i]!.now;
              expect(units * p.windowMs).toBeLessThanOrEqual(burst * p.windowMs + span * p.limit);
            }
          }
        },
      ),
    );
  });

  it("decides exactly as gcra, refunds included", () => {
    fc.assert(
      fc.property(
        arbPolicy("token-bucket").chain((p) => fc.tuple(fc.constant(p), arbOps(p, { refunds: true }))),
        ([p, ops]) => {
          const asGcra = { ...p, algorithm: "gcra" as const };
          const bucket = run(tokenBucket, p, ops, T0).map((s) => s.decision);
          const cells = run(gcra, asGcra, ops, T0).map((s) => s.decision);
          expect(cells).toEqual(bucket);
        },
      ),
    );
  });

  it("gives refunded tokens back, never above the burst, and only to a key with state", () => {
    const state = tokenBucket.empty();
    tokenBucket.refund(state, policy, T0, 5);
    expect(state).toEqual(tokenBucket.empty());
    tokenBucket.apply(state, policy, T0, 3);
    tokenBucket.refund(state, policy, T0, 10);
    expect(tokenBucket.decide(state, policy, T0, 0, emptyDecision()).remaining).toBe(20);
  });
});
