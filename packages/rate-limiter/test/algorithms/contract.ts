// The properties every algorithm promises, checked with fast-check against the reference models.
import fc from "fast-check";
import { expect, it } from "vitest";
import { type Algorithm, capacityOf } from "../../src/algorithms/algorithm.js";
import { arbOps, arbPolicy, emptyDecision, modelFor, run, T0 } from "./model.js";

const start = fc.integer({ min: 0, max: 10_000_000 }).map((offset) => T0 + offset);

export function algorithmContract<S>(algorithm: Algorithm<S>): void {
  const policy = arbPolicy(algorithm.name);
  const scenario = (refunds: boolean) =>
    policy.chain((p) => fc.tuple(fc.constant(p), arbOps(p, { refunds }), start));

  it("decides exactly as the reference model", () => {
    fc.assert(
      fc.property(scenario(false), ([p, ops, t0]) => {
        const model = modelFor(p);
        run(algorithm, p, ops, t0, ({ now, cost, decision }) => {
          expect(decision).toEqual(model.decide(now, cost));
          if (decision.allowed && cost > 0) model.consume(now, cost);
        });
      }),
    );
  });

  it("admits a refused request exactly retryAfterMs later and not one millisecond sooner", () => {
    fc.assert(
      fc.property(scenario(true), ([p, ops, t0]) => {
        run(algorithm, p, ops, t0, ({ now, cost, decision }, state) => {
          if (decision.allowed || cost > capacityOf(p)) return;
          const wait = decision.retryAfterMs;
          expect(wait).toBeGreaterThanOrEqual(1);
          expect(algorithm.decide(state, p, now + wait - 1, cost, emptyDecision()).allowed).toBe(false);
          expect(algorithm.decide(state, p, now + wait, cost, emptyDecision()).allowed).toBe(true);
        });
      }),
    );
  });

  it("keeps remaining within [0, capacity], retryAfterMs 0 exactly when allowed, and resetAt honest", () => {
    fc.assert(
      fc.property(scenario(true), ([p, ops, t0]) => {
        const capacity = capacityOf(p);
        run(algorithm, p, ops, t0, ({ now, cost, decision }, state) => {
          expect(Number.isInteger(decision.remaining)).toBe(true);
          expect(decision.remaining).toBeGreaterThanOrEqual(0);
          expect(decision.remaining).toBeLessThanOrEqual(capacity);
          expect(decision.retryAfterMs === 0).toBe(decision.allowed);
          expect(decision.resetAt).toBeGreaterThanOrEqual(now);
          if (cost === 0 || !decision.allowed) {
            // nothing consumed: at resetAt the whole quota is back
            const later = algorithm.decide(state, p, decision.resetAt, 0, emptyDecision());
            expect(later.remaining).toBe(capacity);
          }
        });
      }),
    );
  });

  it("never changes state when deciding, and never when refusing", () => {
    fc.assert(
      fc.property(scenario(true), ([p, ops, t0]) => {
        run(algorithm, p, ops, t0, ({ now, cost }, state) => {
          const before = structuredClone(state);
          algorithm.decide(state, p, now, cost, emptyDecision());
          algorithm.decide(state, p, now + p.windowMs, cost, emptyDecision());
          expect(state).toEqual(before);
        });
      }),
    );
  });

  it("refunds never exceed capacity nor bring back an expired state", () => {
    fc.assert(
      fc.property(scenario(true), fc.integer({ min: 1, max: 50 }), ([p, ops, t0], units) => {
        const steps = run(algorithm, p, ops, t0);
        const state = algorithm.empty();
        for (const step of steps)
          if (step.decision.allowed && step.cost > 0) algorithm.apply(state, p, step.now, step.cost);
        const now = (steps.at(-1)?.now ?? t0) + 1;
        const refunded = structuredClone(state);
        algorithm.refund(refunded, p, now, units);
        const after = algorithm.decide(refunded, p, now, 0, emptyDecision());
        expect(after.remaining).toBeLessThanOrEqual(capacityOf(p));
        const expiry = algorithm.expiresAt(state, p);
        const late = Math.max(now, expiry);
        const expired = structuredClone(state);
        algorithm.refund(expired, p, late, units);
        const fresh = algorithm.decide(algorithm.empty(), p, late, 1, emptyDecision());
        expect(algorithm.decide(expired, p, late, 1, emptyDecision())).toEqual(fresh);
      }),
    );
  });

  it("refunds as the reference model does", () => {
    if (algorithm.name === "token-bucket" || algorithm.name === "gcra") return; // see the bucket/gcra test
    fc.assert(
      fc.property(scenario(true), ([p, ops, t0]) => {
        const model = modelFor(p);
        let now = t0;
        const state = algorithm.empty();
        for (const op of ops) {
          now += op.dt;
          const decision = algorithm.decide(state, p, now, op.cost, emptyDecision());
          expect({ ...decision }).toEqual(model.decide(now, op.cost));
          if (decision.allowed && op.cost > 0) {
            algorithm.apply(state, p, now, op.cost);
            model.consume(now, op.cost);
          }
          if (op.refund > 0) {
            algorithm.refund(state, p, now, op.refund);
            model.refund(now, op.refund);
          }
        }
      }),
    );
  });

  it("means nothing once expired: at expiresAt it decides as an empty state", () => {
    fc.assert(
      fc.property(scenario(true), fc.integer({ min: 0, max: 1000 }), ([p, ops, t0], after) => {
        const steps = run(algorithm, p, ops, t0);
        const state = algorithm.empty();
        for (const step of steps)
          if (step.decision.allowed && step.cost > 0) algorithm.apply(state, p, step.now, step.cost);
        const at = Math.max(algorithm.expiresAt(state, p), steps.at(-1)!.now) + after;
        for (const cost of [0, 1, capacityOf(p)]) {
          expect(algorithm.decide(state, p, at, cost, emptyDecision())).toEqual(
            algorithm.decide(algorithm.empty(), p, at, cost, emptyDecision()),
          );
        }
      }),
    );
  });
}
