import type { StepDecision } from "../algorithms/algorithm.js";
import type { RateLimitPolicy } from "../types.js";

/** A decision written in place: a {@link StepDecision} plus the block it reports, if any. */
export interface DecisionSlot extends StepDecision {
  blockedUntil: number | undefined;
}

/** A new, empty {@link DecisionSlot}. */
export function decisionSlot(): DecisionSlot {
  return { allowed: false, remaining: 0, resetAt: 0, retryAfterMs: 0, blockedUntil: undefined };
}

/**
 * Internal to the package (not exported from its entry points): the memory store's single-policy
 * consume, which writes the decision into the caller's slot instead of allocating a decision and an
 * array per check. The caller copies what it keeps before the next call.
 */
export const consumeInto: unique symbol = Symbol("@keel/rate-limiter.consumeInto");

/** The signature of {@link consumeInto}. */
export type ConsumeInto = (
  key: string,
  policy: RateLimitPolicy,
  cost: number,
  slot: DecisionSlot,
) => DecisionSlot;
