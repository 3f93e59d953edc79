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

/** Counts up to this fit the packed sliding-window node: 15 bits each, both in one small integer. */
const PACKED_MAX = 0x7fff;

/**
 * Sliding-window state in two fields instead of three, for the 150-bytes-per-key budget: `current`
 * and `previous` share one small integer (15 bits each) while both fit, which they do for any limit
 * up to 32,767. A count that outgrows them moves both to an object of their own, for that node only.
 */
class SlidingWindowNode extends MemoryNode implements SlidingWindowState {
  window = Number.NEGATIVE_INFINITY;
  /** `previous << 15 | current`, or -1 once the counts live in `wide`. */
  counts = 0;
  declare wide: { current: number; previous: number } | undefined;

  get current(): number {
    return this.counts >= 0 ? this.counts & PACKED_MAX : (this.wide as { current: number }).current;
  }

  set current(value: number) {
    if (this.counts >= 0 && fitsPacked(value)) this.counts = (this.counts & ~PACKED_MAX) | value;
    else widen(this).current = value;
  }

  get previous(): number {
    return this.counts >= 0 ? this.counts >> 15 : (this.wide as { previous: number }).previous;
  }

  set previous(value: number) {
    if (this.counts >= 0 && fitsPacked(value)) this.counts = (value << 15) | (this.counts & PACKED_MAX);
    else widen(this).previous = value;
  }
}

// A function, not a private method: a class with private methods brands every instance with an
// extra hidden property, 8 bytes a key.
function widen(node: SlidingWindowNode): { current: number; previous: number } {
  if (node.counts >= 0) {
    node.wide = { current: node.counts & PACKED_MAX, previous: node.counts >> 15 };
    node.counts = -1;
  }
  return node.wide as { current: number; previous: number };
}

function fitsPacked(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= PACKED_MAX;
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
