import type { Algorithm } from "../algorithms/algorithm.js";
import { fixedWindow } from "../algorithms/fixed-window.js";
import { gcra } from "../algorithms/gcra.js";
import { algorithmNames } from "../algorithms/registry.js";
import { slidingWindow } from "../algorithms/sliding-window.js";
import { tokenBucket } from "../algorithms/token-bucket.js";
import { describeValue, RateLimiterError } from "../errors.js";
import type { RateLimitPolicy } from "../types.js";
import type { DecisionSlot } from "./decide-into.js";
import { EMPTY_NODES, type MemoryNode } from "./memory-nodes.js";

// A switch rather than `algorithms[policy.algorithm].decide(…)`: with limiters of several algorithms
// in one process, that one call site turns megamorphic and nothing behind it is inlined; here each
// call site sees one algorithm, so V8 inlines it.

// Each node class implements exactly its algorithm's state (see memory-nodes.ts), so these views are sound.
const FIXED = fixedWindow as unknown as Algorithm<MemoryNode>;
const SLIDING = slidingWindow as unknown as Algorithm<MemoryNode>;
const BUCKET = tokenBucket as unknown as Algorithm<MemoryNode>;
const GCRA = gcra as unknown as Algorithm<MemoryNode>;

function unknownAlgorithm(policy: RateLimitPolicy): RateLimiterError {
  return new RateLimiterError(
    "ERR_KEEL_RATE_LIMIT_POLICY",
    `memoryStore: policy "${policy.name}" has algorithm ${describeValue(policy.algorithm)}, which is not one of ${algorithmNames.join(", ")}`,
  );
}

/** The algorithm's `decide` for `node` (its empty state when the key has none), into `slot`. */
export function decideStep(
  node: MemoryNode | undefined,
  policy: RateLimitPolicy,
  now: number,
  cost: number,
  slot: DecisionSlot,
): void {
  const state = node ?? (EMPTY_NODES[policy.algorithm] as MemoryNode);
  switch (policy.algorithm) {
    case "fixed-window":
      FIXED.decide(state, policy, now, cost, slot);
      return;
    case "sliding-window":
      SLIDING.decide(state, policy, now, cost, slot);
      return;
    case "token-bucket":
      BUCKET.decide(state, policy, now, cost, slot);
      return;
    case "gcra":
      GCRA.decide(state, policy, now, cost, slot);
      return;
    default:
      throw unknownAlgorithm(policy);
  }
}

/** The algorithm's `apply`: spends `cost` from `node` in place. */
export function applyStep(node: MemoryNode, policy: RateLimitPolicy, now: number, cost: number): void {
  switch (policy.algorithm) {
    case "fixed-window":
      FIXED.apply(node, policy, now, cost);
      return;
    case "sliding-window":
      SLIDING.apply(node, policy, now, cost);
      return;
    case "token-bucket":
      BUCKET.apply(node, policy, now, cost);
      return;
    case "gcra":
      GCRA.apply(node, policy, now, cost);
      return;
    default:
      throw unknownAlgorithm(policy);
  }
}
