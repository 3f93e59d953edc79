import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.js";
import { CacheError } from "../errors.js";
import type { CacheEntry, CacheStore, EvictionReason } from "../types.js";
import type { RedisClientLike, RedisSendCommand } from "./redis/command.js";
import { type RedisSubscriberLike, subscribe } from "./redis/pubsub.js";
import { decodeInvalidation, encodeInvalidation, type Invalidation } from "./tiered/messages.js";
import { validate } from "./tiered/options.js";

export type { IoRedisLikeSubscriber, NodeRedisLikeSubscriber, RedisSubscriberLike } from "./redis/pubsub.js";

/**
 * Options of {@link tieredStore}.
 *
 * @example
 * ```ts
 * const options: TieredStoreOptions = { subscriber: client.duplicate(), l1Ttl: 30 };
 * ```
 */
export interface TieredStoreOptions {
  /**
   * A connection of its own for pub/sub, which the store puts in subscriber mode: a duplicate of
   * your client (ioredis `client.duplicate()`, node-redis `await client.duplicate().connect()`).
   * The store never opens a connection itself and never closes this one.
   */
  readonly subscriber: RedisSubscriberLike;
  /**
   * The client invalidations are published with (ioredis or node-redis).
   * @default the client of the L2 store, when it is a `redisStore`
   */
  readonly client?: RedisClientLike;
  /** Publishes through a function instead of `client` (see `RedisSendCommand`). */
  readonly sendCommand?: RedisSendCommand;
  /**
   * The pub/sub channel every process of this cache shares.
   * @default `<L2 prefix>invalidations` for a `redisStore` L2, else `"keel:cache:invalidations"`
   */
  readonly channel?: string;
  /**
   * The longest an entry lives in L1, in seconds (fractions allowed), whatever its TTL. Pub/sub is
   * at-most-once: this bounds how long an L1 copy can stay stale if an invalidation is lost.
   * @default 60
   */
  readonly l1Ttl?: number;
  /**
   * The clock the L1 cap is measured with (epoch ms); use the one your L1 store keeps time with.
   * @default Date
   */
  readonly clock?: Clock;
  /**
   * Hears errors that have no caller to reject: applying a received invalidation, unsubscribing in
   * `close()`, a failed subscription.
   * @default emits a process warning
   */
  readonly onError?: (error: unknown) => void;
}

/**
 * A two-level {@link CacheStore}, as {@link tieredStore} returns it.
 *
 * @example
 * ```ts
 * const store: TieredStore = tieredStore([memoryStore(), redisStore({ client })], { subscriber });
 * await store.ready;
 * ```
 */
export interface TieredStore extends CacheStore {
  /** Resolves once the invalidation channel is subscribed; rejects if subscribing failed. */
  readonly ready: Promise<void>;
  /** This process's id in invalidation messages; its own messages are ignored. */
  readonly instanceId: string;
}

/**
 * Two levels: L1 in this process (usually `memoryStore`: live values, no serialization) in front of
 * L2 shared by every process (usually `redisStore`). Reads try L1, then L2, and keep an L2 hit in L1
 * for its remaining life, capped at `l1Ttl`. Writes and invalidations go to L2 first, then to this
 * process's L1, then are published on a Redis channel so every other process drops its L1 copies
 * (each process ignores its own messages).
 *
 * - Consistency: another process sees a write once the message arrives (typically well under a
 *   millisecond on one host; `test/multi-process` measures it). A read that raced with an
 *   invalidation does not put what it read into L1. Pub/sub is at-most-once: if the subscriber
 *   connection drops, L1 is cleared when it is ready again, and `l1Ttl` bounds staleness in any case.
 * - Failures: when L2 fails, L1 keeps serving what it holds (grace), the operation still applies to
 *   L1, and L2's error rejects the call, so the cache counts and emits it. An L1 miss while L2 is down
 *   rejects with L2's error.
 * - `keys()` and `size()` answer from L2; `onEvict` hears L2's evictions (L1 dropping a copy is not
 *   an eviction: the entry is still in L2). `close()` unsubscribes and closes both stores, never the
 *   clients.
 *
 * @example
 * ```ts
 * import { Redis } from "ioredis";
 * const client = new Redis();
 * const store = tieredStore([memoryStore({ max: 10_000 }), redisStore({ client })], {
 *   subscriber: client.duplicate(),
 * });
 * const cache = createCache({ store });
 * ```
 */
export function tieredStore(
  stores: readonly [CacheStore, CacheStore],
  options: TieredStoreOptions,
): TieredStore {
  const { l1, l2, publisher, channel, l1TtlMs, clock, onError } = validate(stores, options);
  const instanceId = randomUUID();
  let closed = false;
  // The L2 reads in flight, by key. An invalidation that may cover a key marks its reads stale, and a
  // stale read is returned but not kept in L1: it may predate the write the invalidation announced.
  const reads = new Map<string, Set<{ stale: boolean }>>();
  const markStale = (invalidation: Invalidation): void => {
    if (invalidation.kind !== "keys") {
      for (const tokens of reads.values()) for (const token of tokens) token.stale = true;
      return;
    }
    for (const key of invalidation.keys) for (const token of reads.get(key) ?? []) token.stale = true;
  };

  const capped = (entry: CacheEntry): CacheEntry => {
    const cap = clock.now() + l1TtlMs;
    if (entry.staleUntil <= cap) return entry;
    return { ...entry, expiresAt: Math.min(entry.expiresAt, cap), staleUntil: cap };
  };
  const applyToL1 = async (invalidation: Invalidation): Promise<void> => {
    markStale(invalidation);
    if (invalidation.kind === "keys") await Promise.all(invalidation.keys.map((key) => l1.delete(key)));
    else if (invalidation.kind === "pattern") await l1.invalidate(invalidation.pattern);
    else if (invalidation.kind === "tags") await l1.invalidateTags(invalidation.tags);
    else await l1.clear();
  };
  /** Writes L2, then L1 (also when L2 failed), then tells the other processes. */
  const write = async <T>(
    toL2: () => Promise<T>,
    toL1: () => Promise<unknown>,
    invalidation: Invalidation,
  ) => {
    let result: T;
    try {
      result = await toL2();
    } catch (error) {
      markStale(invalidation);
      await toL1();
      throw error;
    }
    markStale(invalidation);
    await toL1();
    await publisher.send(["PUBLISH", channel, encodeInvalidation(instanceId, invalidation)]);
    return result;
  };

  const unsubscribe = subscribe(options.subscriber, channel, {
    message(text) {
      const message = decodeInvalidation(text);
      if (message === undefined || message.from === instanceId || closed) return;
      applyToL1(message.invalidation).catch(onError);
    },
    reconnected() {
      // Messages published while we were away are lost: forget everything L1 holds.
      applyToL1({ kind: "clear" }).catch(onError);
    },
  });
  // Anything L1 took before the subscription was live may have missed an invalidation.
  const ready = unsubscribe.then(() => applyToL1({ kind: "clear" }));
  ready.catch(onError);

  const ensureOpen = (): void => {
    if (closed)
      throw new CacheError("ERR_KEEL_CACHE_CLOSED", "tieredStore: used after close(); create a new store");
  };

  return {
    name: "tiered",
    capabilities: { liveValues: l1.capabilities.liveValues, shared: true },
    ready,
    instanceId,

    async get(key) {
      ensureOpen();
      const hit = await l1.get(key);
      if (hit !== undefined) return hit;
      const token = { stale: false };
      const tokens = reads.get(key) ?? new Set();
      reads.set(key, tokens.add(token));
      try {
        const entry = await l2.get(key);
        if (entry !== undefined && !token.stale) await l1.set(key, capped(entry));
        return entry;
      } finally {
        tokens.delete(token);
        if (tokens.size === 0) reads.delete(key);
      }
    },
    async set(key, entry) {
      ensureOpen();
      await write(
        () => l2.set(key, entry),
        () => l1.set(key, capped(entry)),
        { kind: "keys", keys: [key] },
      );
    },
    async delete(key) {
      ensureOpen();
      let inL1 = false;
      const inL2 = await write(
        () => l2.delete(key),
        async () => {
          inL1 = await l1.delete(key);
        },
        { kind: "keys", keys: [key] },
      );
      return inL2 || inL1;
    },
    async clear() {
      ensureOpen();
      await write(
        () => l2.clear(),
        () => l1.clear(),
        { kind: "clear" },
      );
    },
    async *keys(pattern) {
      ensureOpen();
      yield* l2.keys(pattern);
    },
    async invalidate(pattern) {
      ensureOpen();
      return write(
        () => l2.invalidate(pattern),
        () => l1.invalidate(pattern),
        { kind: "pattern", pattern },
      );
    },
    async invalidateTags(tags) {
      ensureOpen();
      return write(
        () => l2.invalidateTags(tags),
        () => l1.invalidateTags(tags),
        { kind: "tags", tags: [...tags] },
      );
    },
    async size() {
      ensureOpen();
      return l2.size();
    },
    onEvict(listener: (key: string, reason: EvictionReason) => void) {
      return l2.onEvict(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      // A failed subscription was reported already; there is nothing to undo then.
      const stop = await unsubscribe.catch(() => undefined);
      try {
        await stop?.();
      } catch (error) {
        onError(error);
      }
      await Promise.all([l1.close(), l2.close()]);
    },
  };
}
