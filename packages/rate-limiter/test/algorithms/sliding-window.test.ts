import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { slidingWindow } from "../../src/algorithms/sliding-window.js";
import { algorithmContract } from "./contract.js";
import { arbOps, arbPolicy, emptyDecision, run, T0 } from "./model.js";

const policy = { name: "default", algorithm: "sliding-window", limit: 10, windowMs: 1_000 } as const;

describe("sliding-window", () => {
  algorithmContract(slidingWindow);

  it("weights the previous window by the share of it still inside the sliding window", () => {
    const state = { window: 0, current: 10, previous: 0 };
    // at 1250 the estimate is 10 × 0.75 = 7.5: two more fit, three do not until 1300
    expect(slidingWindow.decide(state, policy, 1_250, 2, emptyDecision())).toEqual({
      allowed: true,
      remaining: 0,
      resetAt: 3_000,
      retryAfterMs: 0,
    });
    expect(slidingWindow.decide(state, policy, 1_250, 3, emptyDecision())).toEqual({
      allowed: false,
      remaining: 2,
      resetAt: 2_000,
      retryAfterMs: 50,
    });
    expect(slidingWindow.decide(state, policy, 1_300, 3, emptyDecision()).allowed).toBe(true);
  });

  it("finds the retry in the next window when the current one is already full", () => {
    const state = { window: 1, current: 10, previous: 10 };
    // at 1500: estimate 15; in window 2 the estimate is 10 × (3000 − t) / 1000, ≤ 9 from t = 2100
    expect(slidingWindow.decide(state, policy, 1_500, 1, emptyDecision())).toEqual({
      allowed: false,
      remaining: 0,
      resetAt: 3_000,
      retryAfterMs: 600,
    });
  });

  it("starts a key with a full quota", () => {
    expect(slidingWindow.decide(slidingWindow.empty(), policy, T0, 0, emptyDecision())).toEqual({
      allowed: true,
      remaining: 10,
      resetAt: T0,
      retryAfterMs: 0,
    });
  });

  it("never admits more than limit units in one aligned window, and the estimate never exceeds limit", () => {
    fc.assert(
      fc.property(
        arbPolicy("sliding-window").chain((p) => fc.tuple(fc.constant(p), arbOps(p, { refunds: false }))),
        ([p, ops]) => {
          const admitted = run(slidingWindow, p, ops, T0).filter((s) => s.decision.allowed && s.cost > 0);
          const perWindow = new Map<number, number>();
          for (const s of admitted) {
            const index = Math.floor(s.now / p.windowMs);
            perWindow.set(index, (perWindow.get(index) ?? 0) + s.cost);
            const previous = perWindow.get(index - 1) ?? 0;
            const left = (index + 1) * p.windowMs - s.now;
            // estimate × W after admitting
            expect(previous * left + perWindow.get(index)! * p.windowMs).toBeLessThanOrEqual(
              p.limit * p.windowMs,
            );
          }
          for (const used of perWindow.values()) expect(used).toBeLessThanOrEqual(p.limit);
        },
      ),
    );
  });
});
