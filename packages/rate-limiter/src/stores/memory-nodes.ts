import type { FixedWindowState } from "../algorithms/fixed-window.js";
import type { GcraState } from "../algorithms/gcra.js";
import type { SlidingWindowState } from "../algorithms/sliding-window.js";
import type { TokenBucketState } from "../algorithms/token-bucket.js";
import type { RateLimitAlgorithm, RateLimitPolicy } from "../types.js";

/**
 * One policy's state for one key in the memory store. A key's nodes form a short linked list (one
 * node per policy), so the single-policy case allocates no array, and each algorithm's state lives
 * in the node itself: one object per key and policy, mutated in place on every check.
 */
export abstract class MemoryNode {
  // `declare`d, not initialized: a node gets these only when it needs them (a second policy, a
  // block), so the common node (one policy, never blocked) carries only its policy and its state.
  /** The next policy's node for the same key; absent on a key's last node. */
  declare next: MemoryNode | undefined;
  /** Epoch ms until which this policy refuses the key (see `blockMs`); absent when never blocked. */
  declare blockedUntil: number | undefined;
  /**
   * The policy this state belongs to (matched by name and algorithm). Kept on the prototype of a
   * class made once per policy (see {@link createNode}), so a node does not carry it; a node whose
   * policy was rebuilt gets it as its own property.
   */
  declare policy: RateLimitPolicy;
}

class FixedWindowNode extends MemoryNode implements FixedWindowState {
  count = 0;
  start = Number.NEGATIVE_INFINITY;
}

class SlidingWindowNode extends MemoryNode implements SlidingWindowState {
  window = Number.NEGATIVE_INFINITY;
  current = 0;
  previous = 0;
}

class TokenBucketNode extends MemoryNode implements TokenBucketState {
  scaledTokens = 0;
  updatedAt = Number.NEGATIVE_INFINITY;
}

class GcraNode extends MemoryNode implements GcraState {
  tat = Number.NEGATIVE_INFINITY;
  frac = 0;
}

const NODE_CLASSES = {
  "fixed-window": FixedWindowNode,
  "sliding-window": SlidingWindowNode,
  "token-bucket": TokenBucketNode,
  gcra: GcraNode,
} as const;

type NodeClass = new () => MemoryNode;

/** One class per policy object, its prototype holding the policy; weakly held, so a dropped policy goes. */
const CLASSES = new WeakMap<RateLimitPolicy, NodeClass>();

function nodeClass(policy: RateLimitPolicy): NodeClass {
  const Base: NodeClass = NODE_CLASSES[policy.algorithm];
  const Node: NodeClass = class extends Base {};
  // Writable, so `node.policy = rebuilt` in findNode gives that one node its own property.
  Object.defineProperty(Node.prototype, "policy", { value: policy, writable: true, configurable: true });
  CLASSES.set(policy, Node);
  return Node;
}

/** A node holding the "never seen" state of `policy`'s algorithm. */
export function createNode(policy: RateLimitPolicy): MemoryNode {
  const Node = CLASSES.get(policy) ?? nodeClass(policy);
  return new Node();
}

const placeholder: RateLimitPolicy = { name: "", algorithm: "fixed-window", limit: 1, windowMs: 1 };

/** One shared, never-written empty node per algorithm, read when a key has no state yet. */
export const EMPTY_NODES: { readonly [A in RateLimitAlgorithm]: MemoryNode } = {
  "fixed-window": createNode(placeholder),
  "sliding-window": createNode({ ...placeholder, algorithm: "sliding-window" }),
  "token-bucket": createNode({ ...placeholder, algorithm: "token-bucket" }),
  gcra: createNode({ ...placeholder, algorithm: "gcra" }),
};

/** The node of `policy` in a key's list: same object, or same name and algorithm (the policy may be rebuilt). */
export function findNode(head: MemoryNode | undefined, policy: RateLimitPolicy): MemoryNode | undefined {
  for (let node = head; node !== undefined; node = node.next) {
    if (node.policy === policy) return node;
    if (node.policy.name === policy.name && node.policy.algorithm === policy.algorithm) {
      node.policy = policy;
      return node;
    }
  }
  return undefined;
}
