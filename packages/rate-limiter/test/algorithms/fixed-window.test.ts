import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixedWindow } from "../../src/algorithms/fixed-window.js";
import { algorithmContract } from "./contract.js";
import { arbOps, arbPolicy, emptyDecision, run, T0 } from "./model.js";

const policy = { name: "default", algorithm: "fixed-window", limit: 3, windowMs: 1_000 } as const;

describe("fixed-window", () => {
  algorithmContract(fixedWindow);

  it("opens the window at the first request and admits limit units in it", () => {
    const state = fixedWindow.empty();
    const decisions = [0, 100, 200, 300].map((t) => {
      const out = { ...fixedWindow.decide(state, policy, T0 + t, 1, emptyDecision()) };
      if (out.allowed) fixedWindow.apply(state, policy, T0 + t, 1);
      return out;
    });
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(decisions[3]).toEqual({ allowed: false, remaining: 0, resetAt: T0 + 1_000, retryAfterMs: 700 });
    expect(fixedWindow.decide(state, policy, T0 + 1_000, 1, emptyDecision())).toEqual({
      allowed: true,
      remaining: 2,
      resetAt: T0 + 2_000,
      retryAfterMs: 0,
    });
  });

  it("refuses a cost above the limit without consuming, with a retry of one window", () => {
    const state = fixedWindow.empty();
    expect(fixedWindow.decide(state, policy, T0, 4, emptyDecision())).toEqual({
      allowed: false,
      remaining: 3,
      resetAt: T0 + 1_000,
      retryAfterMs: 1_000,
    });
  });

  it("never admits more than limit units in one window, nor 2 × limit in any span of windowMs", () => {
    fc.assert(
      fc.property(
        arbPolicy("fixed-window").chain((p) => fc.tuple(fc.constant(p), arbOps(p, { refunds: false }))),
        ([p, ops]) => {
          const admitted = run(fixedWindow, p, ops, T0).filter((s) => s.decision.allowed && s.cost > 0);
          for (const first of admitted) {
            const inSpan = admitted.filter((s) => s.now >= first.now && s.now < first.now + p.windowMs);
            expect(inSpan.reduce((sum, s) => sum + s.cost, 0)).toBeLessThanOrEqual(2 * p.limit);
          }
          // windows: each opened by the first admission at or after the previous window's end
          let windowStart = Number.NEGATIVE_INFINITY;
          let used = 0;
          for (const s of admitted) {
            if (s.now >= windowStart + p.windowMs) {
              windowStart = s.now;
              used = 0;
            }
            used += s.cost;
            expect(used).toBeLessThanOrEqual(p.limit);
          }
        },
      ),
    );
  });
});
