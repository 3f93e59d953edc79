import { describe, expect, it } from "vitest";
import { gcra } from "../../src/algorithms/gcra.js";
import { algorithmContract } from "./contract.js";
import { emptyDecision, T0 } from "./model.js";

describe("gcra", () => {
  algorithmContract(gcra);

  it("keeps the TAT exact when windowMs / limit is not a whole number of milliseconds", () => {
    const policy = { name: "api", algorithm: "gcra", limit: 3, windowMs: 1_000 } as const;
    const state = gcra.empty();
    for (let i = 0; i < 3; i++) gcra.apply(state, policy, T0, 1);
    // 3 × 333⅓ ms is exactly one second: no drift
    expect(state).toEqual({ tat: T0 + 1_000, frac: 0 });
    expect(gcra.decide(state, policy, T0, 1, emptyDecision())).toEqual({
      allowed: false,
      remaining: 0,
      resetAt: T0 + 1_000,
      retryAfterMs: 334,
    });
  });

  it("spaces requests polled every millisecond one emission interval apart, from each admission", () => {
    const policy = { name: "api", algorithm: "gcra", limit: 3, windowMs: 1_000, burst: 1 } as const;
    const state = gcra.empty();
    const admittedAt: number[] = [];
    for (let t = 0; t <= 1_100; t++) {
      if (gcra.decide(state, policy, T0 + t, 1, emptyDecision()).allowed) {
        gcra.apply(state, policy, T0 + t, 1);
        admittedAt.push(t);
      }
    }
    // 333⅓ ms after each admission, rounded up to the next whole millisecond
    expect(admittedAt).toEqual([0, 334, 668, 1002]);
  });

  it("allows a burst up front, then reports the exact wait", () => {
    const policy = { name: "api", algorithm: "gcra", limit: 10, windowMs: 1_000, burst: 5 } as const;
    const state = gcra.empty();
    for (let i = 0; i < 5; i++) gcra.apply(state, policy, T0, 1);
    expect(gcra.decide(state, policy, T0, 1, emptyDecision())).toEqual({
      allowed: false,
      remaining: 0,
      resetAt: T0 + 500,
      retryAfterMs: 100,
    });
    expect(gcra.decide(state, policy, T0 + 100, 1, emptyDecision())).toEqual({
      allowed: true,
      remaining: 0,
      resetAt: T0 + 600,
      retryAfterMs: 0,
    });
  });

  it("moves the TAT back on refund but never before now, and not for a key at rest", () => {
    const policy = { name: "api", algorithm: "gcra", limit: 10, windowMs: 1_000 } as const;
    const state = gcra.empty();
    gcra.refund(state, policy, T0, 3);
    expect(state).toEqual(gcra.empty());
    gcra.apply(state, policy, T0, 4); // TAT = T0 + 400
    gcra.refund(state, policy, T0 + 100, 1); // TAT = T0 + 300
    expect(state).toEqual({ tat: T0 + 300, frac: 0 });
    gcra.refund(state, policy, T0 + 100, 50); // never before now
    expect(state).toEqual({ tat: T0 + 100, frac: 0 });
  });
});
