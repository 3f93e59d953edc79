import { LRUCache } from "lru-cache";
import { type Algorithm, capacityOf, type StepDecision } from "../algorithms/algorithm.js";
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
import { createNode, EMPTY_NODES, findNode, type MemoryNode } from "./memory-nodes.js";

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

// Each node class implements exactly its algorithm's state (see memory-nodes.ts), so this view is sound.
const ALGORITHMS = algorithms as unknown as { readonly [A in RateLimitAlgorithm]: Algorithm<MemoryNode> };

function decide(
  node: MemoryNode | undefined,
  policy: RateLimitPolicy,
  now: number,
  cost: number,
): PolicyDecision {
  const blockedUntil = node?.blockedUntil;
  if (blockedUntil !== undefined && blockedUntil > now) {
    return {
      allowed: false,
      remaining: 0,
      resetAt: blockedUntil,
      retryAfterMs: blockedUntil - now,
      blockedUntil,
    };
  }
  const out: StepDecision = { allowed: false, remaining: 0, resetAt: 0, retryAfterMs: 0 };
  return ALGORITHMS[policy.algorithm].decide(node ?? EMPTY_NODES[policy.algorithm], policy, now, cost, out);
}

/** A refusal on the limit (not a block already running, not a cost above capacity) starts a block. */
function shouldBlock(decision: PolicyDecision, policy: RateLimitPolicy, cost: number): boolean {
  return (policy.blockMs ?? 0) > 0 && decision.blockedUntil === undefined && cost <= capacityOf(policy);
}

function blockDecision(until: number, blockMs: number): PolicyDecision {
  return { allowed: false, remaining: 0, resetAt: until, retryAfterMs: blockMs, blockedUntil: until };
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
  let keys: LRUCache<string, MemoryNode>;
  try {
    keys = new LRUCache<string, MemoryNode>({ max });
  } catch (error) {
    // lru-cache preallocates max-sized arrays: 2^32 and above cannot be allocated at all.
    throw new RateLimiterError(
      "ERR_KEEL_RATE_LIMIT_OPTION",
      `memoryStore: max ${max} is too large to allocate; use at most a few million`,
      { cause: error },
    );
  }
  let closed = false;

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
    if (head === undefined) {
      keys.set(key, node);
    } else {
      let last = head;
      while (last.next !== undefined) last = last.next;
      last.next = node;
    }
    return node;
  }

  // lru-cache's get() allocates an options object per call unless given one; it writes `status`
  // into it, which is cleared again so that a metrics subscriber never sees a stale one.
  const getOptions = { status: undefined } as unknown as LRUCache.GetOptions<string, MemoryNode, unknown>;
  function lookup(key: string): MemoryNode | undefined {
    const head = keys.get(key, getOptions);
    (getOptions as { status: unknown }).status = undefined;
    return head;
  }

  function consumeOne(key: string, policy: RateLimitPolicy, cost: number): PolicyDecision[] {
    const now = clock.now();
    const head = lookup(key);
    const node = head === undefined ? undefined : findNode(head, policy);
    const decision = decide(node, policy, now, cost);
    if (cost > 0) {
      if (decision.allowed) {
        ALGORITHMS[policy.algorithm].apply(node ?? nodeFor(head, key, policy), policy, now, cost);
      } else if (shouldBlock(decision, policy, cost)) {
        const blockMs = policy.blockMs as number;
        (node ?? nodeFor(head, key, policy)).blockedUntil = now + blockMs;
        return [blockDecision(now + blockMs, blockMs)];
      }
    }
    return [decision];
  }

  function consumeAll(key: string, policies: readonly RateLimitPolicy[], cost: number): PolicyDecision[] {
    const now = clock.now();
    const head = lookup(key);
    const decisions: PolicyDecision[] = [];
    let all = true;
    for (const policy of policies) {
      const decision = decide(findNode(head, policy), policy, now, cost);
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
        ALGORITHMS[policy.algorithm].apply(node, policy, now, cost);
      } else if (decision.allowed) {
        // this policy admits, but the request is refused: nothing was spent, so report what is left
        decisions[i] = { ...decide(findNode(first, policy), policy, now, 0), allowed: true, retryAfterMs: 0 };
      } else if (shouldBlock(decision, policy, cost)) {
        const blockMs = policy.blockMs as number;
        const node = nodeFor(first, key, policy);
        first ??= node;
        node.blockedUntil = now + blockMs;
        decisions[i] = blockDecision(now + blockMs, blockMs);
      }
    }
    return decisions;
  }

  function consumeSync({ key, policies, cost }: ConsumeRequest): PolicyDecision[] {
    if (closed) throw closedError();
    if (policies.length === 1) return consumeOne(key, policies[0] as RateLimitPolicy, cost);
    return consumeAll(key, policies, cost);
  }

  function isExpired(head: MemoryNode, now: number): boolean {
    for (let node: MemoryNode | undefined = head; node !== undefined; node = node.next) {
      if (node.blockedUntil !== undefined && node.blockedUntil > now) return false;
      if (ALGORITHMS[node.policy.algorithm].expiresAt(node, node.policy) > now) return false;
    }
    return true;
  }

  return {
    name: "memory",
    capabilities: { shared: false, serverClock: false, synchronous: true },
    get size() {
      return keys.size;
    },
    max,

    consumeSync,

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
      return Promise.resolve();
    },
  };
}
