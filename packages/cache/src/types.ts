/**
 * One stored value and its lifetimes, as a store keeps it.
 *
 * @example
 * ```ts
 * const now = Date.now();
 * const entry: CacheEntry<string> = {
 *   value: "hello",
 *   expiresAt: now + 60_000, // fresh for a minute
 *   staleUntil: now + 120_000, // then servable stale for another minute
 *   tags: ["greetings"],
 * };
 * await store.set("greeting", entry);
 * ```
 */
export interface CacheEntry<V = unknown> {
  /** The cached value. Memory stores keep it by reference; remote stores serialize it. */
  readonly value: V;
  /** Epoch milliseconds after which the entry is no longer fresh. */
  readonly expiresAt: number;
  /**
   * Epoch milliseconds until which an expired entry may still be served stale (stale-while-revalidate,
   * grace on errors). Equal to `expiresAt` when there is no stale period. Stores drop the entry after it.
   */
  readonly staleUntil: number;
  /** Tags for `invalidateTags`. */
  readonly tags?: readonly string[];
}

/**
 * Optional abilities a store declares instead of being probed at runtime.
 *
 * @example
 * ```ts
 * const capabilities: CacheStoreCapabilities = { liveValues: false, shared: true }; // a remote store
 * ```
 */
export interface CacheStoreCapabilities {
  /** Values are held by reference in this process (no serialization): memory and the L1 of a tiered store. */
  readonly liveValues: boolean;
  /** Entries are visible to other processes (Redis, tiered). */
  readonly shared: boolean;
}

/**
 * Why an entry left a store without being deleted by the user.
 *
 * @example
 * ```ts
 * store.onEvict((key, reason: EvictionReason) => {
 *   if (reason === "capacity") console.warn(`evicted ${key}: raise max?`);
 * });
 * ```
 */
export type EvictionReason = "capacity" | "expired";

/**
 * Where a cache keeps its entries. Small enough to write in an afternoon: run
 * `runCacheStoreConformance` from `@keel/cache/testing` against a new store.
 *
 * Every method may reject; the cache counts, emits and (by policy) survives store errors, so a store
 * should throw rather than hide a failure. Keys are arbitrary strings (any length, unicode, glob
 * characters); stores must not interpret them except in `invalidate`/`keys` patterns.
 *
 * @example
 * ```ts
 * import { createCache, type CacheStore } from "@keel/cache";
 * import { runCacheStoreConformance } from "@keel/cache/testing";
 *
 * function myStore(): CacheStore {
 *   // get, set, delete, clear, keys, invalidate, invalidateTags, size, onEvict, close
 * }
 * runCacheStoreConformance({ name: "my store", createStore: myStore }); // in a vitest file
 * const cache = createCache({ store: myStore() });
 * ```
 */
export interface CacheStore {
  /** A short name used in error messages and events, e.g. `"memory"`, `"redis"`, `"tiered"`. */
  readonly name: string;
  /** What this store can do. */
  readonly capabilities: CacheStoreCapabilities;
  /** The entry for `key`, or undefined. May return an entry past `expiresAt` but never past `staleUntil`. */
  get(key: string): Promise<CacheEntry | undefined>;
  /** Stores `entry` under `key`, replacing any previous entry and its tags. */
  set(key: string, entry: CacheEntry): Promise<void>;
  /** Removes `key`; resolves to whether it was there. */
  delete(key: string): Promise<boolean>;
  /** Removes every entry this store holds (for shared stores: only its own prefix). */
  clear(): Promise<void>;
  /**
   * Iterates the keys matching the glob `pattern` (`*`, `?`), all keys when omitted, without copying
   * the whole key set. A store over a database that resizes while it is walked (Redis `SCAN`) may
   * yield a key more than once.
   */
  keys(pattern?: string): AsyncIterable<string>;
  /** Removes the keys matching the glob `pattern`; resolves to how many were removed. */
  invalidate(pattern: string): Promise<number>;
  /** Removes every entry carrying any of `tags`; resolves to how many were removed. */
  invalidateTags(tags: readonly string[]): Promise<number>;
  /** The number of entries held (for shared stores: under its prefix; may count entries about to expire). */
  size(): Promise<number>;
  /** Registers a listener for entries that leave without a user delete; returns a function that removes it. */
  onEvict(listener: (key: string, reason: EvictionReason) => void): () => void;
  /** Releases timers and subscriptions; never closes a client the user passed in. */
  close(): Promise<void>;
}
