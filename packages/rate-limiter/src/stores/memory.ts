import { type Algorithm, capacityOf } from "../algorithms/algorithm.js";
import { algorithms } from "../algorithms/registry.js";
import { type Clock, systemClock } from "../clock.js";
import { describeValue, RateLimiterError } from "../errors.js";
import type {
  ConsumeRequest,
  PolicyDecision,
  RateLimitAlgorithm,
  RateLimitPolicy,
  RateLimitStore,
} from "../types.js";
import { BoundedLru } from "./bounded-lru.js";
import { consumeInto, type DecisionSlot, decisionSlot } from "./decide-into.js";
import { createNode, findNode, type MemoryNode } from "./memory-nodes.js";
import { applyStep, decideStep } from "./memory-steps.js";

/**
 * Options of {@link memoryStore}.
 *
 * @example
 * ```ts
 * const options: MemoryStoreOptions = { max: 500_000 };
 * ```
 */
export interface MemoryStoreOptions {
  /**
   * The most keys tracked at once. When a new key arrives at the bound, the least recently used key
   * is forgotten, so a spray of distinct keys cannot grow memory past it; a forgotten key starts
   * again with a full quota. Raise it above the number of keys active within one window.
   * @default 100000
   */
  readonly max?: number;
  /**
   * Where time comes from, in epoch milliseconds.
   * @default systemClock (Date.now, read at most once per millisecond: see systemClock)
   */
  readonly clock?: Clock;
}

/**
 * The in-process store returned by {@link memoryStore}: a {@link RateLimitStore} plus its size.
 *
 * @example
 * ```ts
 * const store = memoryStore({ max: 1_000 });
 * store.size; // 0
 * ```
 */
export interface MemoryStore extends RateLimitStore {
  /** Keys tracked now, never above `max`. */
  readonly size: number;
  /** The bound given as `max`. */
  readonly max: number;
  /** Always present: the memory store decides synchronously. */
  consumeSync(request: ConsumeRequest): PolicyDecision[];
}

/** The most keys a store can index (its slots are 32-bit). */
const MAX_KEYS = 2 ** 32 - 2;

// Each node class implements exactly its algorithm's state (see memory-nodes.ts), so this view is sound.
const ALGORITHMS = algorithms as unknown as { readonly [A in RateLimitAlgorithm]: Algorithm<MemoryNode> };

/** `blockedUntil` is the node's block, read by the caller (which skips the read when no block can be running). */
function decide(
  node: MemoryNode | undefined,
  blockedUntil: number | undefined,
  policy: RateLimitPolicy,
  now: number,
  cost: number,
  slot: DecisionSlot,
): DecisionSlot {
  if (blockedUntil !== undefined && blockedUntil > now)
    return blockInto(slot, blockedUntil, blockedUntil - now);
  slot.blockedUntil = undefined;
  decideStep(node, policy, now, cost, slot);
  return slot;
}

/** A refusal on the limit (not a block already running, not a cost above capacity) starts a block. */
function shouldBlock(
  decision: { readonly blockedUntil?: number | undefined },
  policy: RateLimitPolicy,
  cost: number,
): boolean {
  return (policy.blockMs ?? 0) > 0 && decision.blockedUntil === undefined && cost <= capacityOf(policy);
}

function blockInto(slot: DecisionSlot, until: number, retryAfterMs: number): DecisionSlot {
  slot.allowed = false;
  slot.remaining = 0;
  slot.resetAt = until;
  slot.retryAfterMs = retryAfterMs;
  slot.blockedUntil = until;
  return slot;
}

/** A slot's decision as a value of its own, with `blockedUntil` only when there is a block. */
function toDecision(slot: DecisionSlot): PolicyDecision {
  const { allowed, remaining, resetAt, retryAfterMs, blockedUntil } = slot;
  return blockedUntil === undefined
    ? { allowed, remaining, resetAt, retryAfterMs }
    : { allowed, remaining, resetAt, retryAfterMs, blockedUntil };
}

/**
 * An in-process {@link RateLimitStore}: O(1) per check, no timers, bounded by an LRU of `max` keys.
 *
 * Each key holds one small object per policy, mutated in place on every check; its expiry follows
 * from the algorithm's state (`Algorithm.expiresAt`), so an expired entry decides as a new key, is
 * dropped by `cleanup()`, and is the first to go when the bound is reached. Decisions are atomic
 * because a check runs synchronously; they are not shared between processes (use `redisStore`).
 *
 * @example
 * ```ts
 * import { createRateLimiter, memoryStore } from "@keel/rate-limiter";
 *
 * const limiter = createRateLimiter({ store: memoryStore({ max: 50_000 }), limit: 100, window: 60 });
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const { max = 100_000, clock = systemClock } = options;
  if (!Number.isSafeInteger(max) || max < 1) {
    throw new RateLimiterError(
      "ERR_KEEL_RATE_LIMIT_OPTION",
      `memoryStore: max must be a positive integer, got ${describeValue(max)}`,
    );
  }
  if (typeof clock?.now !== "function") {
    throw new RateLimiterError(
      "ERR_KEEL_RATE_LIMIT_OPTION",
      "memoryStore: clock must have a now() method returning epoch milliseconds",
    );
  }
  // Slots are numbered in 32-bit arrays; far more keys than any process could hold anyway.
  if (max > MAX_KEYS) {
    throw new RateLimiterError(
      "ERR_KEEL_RATE_LIMIT_OPTION",
      `memoryStore: max ${max} is above the ${MAX_KEYS} keys a store can index; use at most a few million`,
    );
  }
  const keys = new BoundedLru<MemoryNode>(max);
  let closed = false;
  // Two facts that spare the hot path its only reads of a node's own properties, which V8 cannot
  // make fast once nodes of several policies (each its own class) pass the same code:
  // - while every node belongs to one policy, a key's first node is that policy's;
  // - no block runs past `blocksEnd`, so before then no node's `blockedUntil` needs reading.
  /** The policy of every node so far; `undefined` before the first, `null` once there are several. */
  let onlyPolicy: RateLimitPolicy | null | undefined;
  let blocksEnd = Number.NEGATIVE_INFINITY;

  function nodeOf(head: MemoryNode | undefined, policy: RateLimitPolicy): MemoryNode | undefined {
    return head === undefined ? undefined : policy === onlyPolicy ? head : findNode(head, policy);
  }

  function block(node: MemoryNode, until: number): void {
    node.blockedUntil = until;
    if (until > blocksEnd) blocksEnd = until;
  }

  function closedError(): RateLimiterError {
    return new RateLimiterError(
      "ERR_KEEL_RATE_LIMIT_CLOSED",
      "memoryStore: used after close(); create a new store",
    );
  }

  function nodeFor(head: MemoryNode | undefined, key: string, policy: RateLimitPolicy): MemoryNode {
    const found = findNode(head, policy);
    if (found !== undefined) return found;
    const node = createNode(policy);
    if (onlyPolicy === undefined) onlyPolicy = policy;
    else if (onlyPolicy !== policy) onlyPolicy = null;
    if (head === undefined) {
      keys.set(key, node);
    } else {
      let last = head;
      while (last.next !== undefined) last = last.next;
      last.next = node;
    }
    return node;
  }

  function consumeOne(key: string, policy: RateLimitPolicy, cost: number, slot: DecisionSlot): DecisionSlot {
    if (closed) throw closedError();
    const now = clock.now();
    const head = keys.get(key);
    const node = nodeOf(head, policy);
    decide(node, now < blocksEnd ? node?.blockedUntil : undefined, policy, now, cost, slot);
    if (cost === 0) return slot;
    if (!slot.allowed) return refuseOne(head, node, key, policy, now, cost, slot);
    applyStep(node ?? nodeFor(head, key, policy), policy, now, cost);
    return slot;
  }

  /** A refusal of {@link consumeOne}: starts a block when the policy has one. */
  function refuseOne(
    head: MemoryNode | undefined,
    node: MemoryNode | undefined,
    key: string,
    policy: RateLimitPolicy,
    now: number,
    cost: number,
    slot: DecisionSlot,
  ): DecisionSlot {
    if (shouldBlock(slot, policy, cost)) {
      const blockMs = policy.blockMs as number;
      block(node ?? nodeFor(head, key, policy), now + blockMs);
      blockInto(slot, now + blockMs, blockMs);
    }
    return slot;
  }

  function consumeAll(key: string, policies: readonly RateLimitPolicy[], cost: number): PolicyDecision[] {
    const now = clock.now();
    const head = keys.get(key);
    const decisions: PolicyDecision[] = [];
    let all = true;
    for (const policy of policies) {
      const node = findNode(head, policy);
      const decision = toDecision(decide(node, node?.blockedUntil, policy, now, cost, decisionSlot()));
      decisions.push(decision);
      all &&= decision.allowed;
    }
    if (cost === 0) return decisions;
    let first = head;
    for (let i = 0; i < policies.length; i++) {
      const policy = policies[i] as RateLimitPolicy;
      const decision = decisions[i] as PolicyDecision;
      if (all) {
        const node = nodeFor(first, key, policy);
        first ??= node;
        applyStep(node, policy, now, cost);
      } else if (decision.allowed) {
        // this policy admits, but the request is refused: nothing was spent, so report what is left
        const node = findNode(first, policy);
        const left = toDecision(decide(node, node?.blockedUntil, policy, now, 0, decisionSlot()));
        decisions[i] = { ...left, allowed: true, retryAfterMs: 0 };
      } else if (shouldBlock(decision, policy, cost)) {
        const blockMs = policy.blockMs as number;
        const node = nodeFor(first, key, policy);
        first ??= node;
        block(node, now + blockMs);
        decisions[i] = toDecision(blockInto(decisionSlot(), now + blockMs, blockMs));
      }
    }
    return decisions;
  }

  function consumeSync({ key, policies, cost }: ConsumeRequest): PolicyDecision[] {
    if (policies.length === 1)
      return [toDecision(consumeOne(key, policies[0] as RateLimitPolicy, cost, decisionSlot()))];
    if (closed) throw closedError();
    return consumeAll(key, policies, cost);
  }

  function isExpired(head: MemoryNode, now: number): boolean {
    for (let node: MemoryNode | undefined = head; node !== undefined; node = node.next) {
      if (node.blockedUntil !== undefined && node.blockedUntil > now) return false;
      if (ALGORITHMS[node.policy.algorithm].expiresAt(node, node.policy) > now) return false;
    }
    return true;
  }

  // A variable, not a returned literal: the internal [consumeInto] is not part of the MemoryStore type.
  const store = {
    name: "memory",
    capabilities: { shared: false, serverClock: false, synchronous: true },
    get size() {
      return keys.size;
    },
    max,

    consumeSync,
    [consumeInto]: consumeOne,

    consume(request: ConsumeRequest): Promise<PolicyDecision[]> {
      try {
        return Promise.resolve(consumeSync(request));
      } catch (error) {
        return Promise.reject(error);
      }
    },

    refund(key: string, policies: readonly RateLimitPolicy[], units: number): Promise<void> {
      if (closed) return Promise.reject(closedError());
      const head = keys.peek(key);
      if (head === undefined || units <= 0) return Promise.resolve();
      const now = clock.now();
      for (const policy of policies) {
        const node = findNode(head, policy);
        if (node !== undefined) ALGORITHMS[policy.algorithm].refund(node, policy, now, units);
      }
      return Promise.resolve();
    },

    reset(key: string, policies: readonly RateLimitPolicy[]): Promise<void> {
      if (closed) return Promise.reject(closedError());
      const before = keys.peek(key);
      let head = before;
      for (const policy of policies) {
        const node = findNode(head, policy);
        if (node === undefined) continue;
        if (node === head) {
          head = node.next;
        } else {
          let previous = head as MemoryNode;
          while (previous.next !== node) previous = previous.next as MemoryNode;
          previous.next = node.next;
        }
      }
      if (head === undefined) keys.delete(key);
      else if (head !== before) keys.set(key, head);
      return Promise.resolve();
    },

    cleanup(): Promise<number> {
      if (closed) return Promise.resolve(0);
      const now = clock.now();
      const expired: string[] = [];
      for (const [key, head] of keys.entries()) if (isExpired(head, now)) expired.push(key);
      for (const key of expired) keys.delete(key);
      return Promise.resolve(expired.length);
    },

    close(): Promise<void> {
      closed = true;
      keys.clear();
      onlyPolicy = undefined;
      return Promise.resolve();
    },
  };
  return store;
}
