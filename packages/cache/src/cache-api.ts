import type { CacheEventSource } from "./events.js";
import type { TtlArgument } from "./options.js";

/**
 * A snapshot of a cache's counters since it was created.
 *
 * @example
 * ```ts
 * const { hits, misses, hitRatio, size } = await cache.getStats();
 * ```
 */
export interface CacheStats {
  /** Reads that found a value: `get` and `getOrSet` hits, stale values served by `getOrSet` included. */
  readonly hits: number;
  /** Reads that found nothing fresh (each `getOrSet` caller that waited for a fetch counts once). */
  readonly misses: number;
  /** `hits / (hits + misses)`, between 0 and 1; 0 before the first read. */
  readonly hitRatio: number;
  /** Values written, by `set` and by `getOrSet` after a fetch. */
  readonly sets: number;
  /** Entries removed on request, by `delete`, `invalidate` and `invalidateTags` (`clear` is not counted). */
  readonly deletes: number;
  /** Entries the store evicted to respect its bound (reason `capacity`). Expired entries are not counted. */
  readonly evictions: number;
  /** Store failures and timeouts, and `fetchFn` failures answered with a stale value. */
  readonly errors: number;
  /**
   * Entries in the store now, as the store counts them (a shared store counts its whole prefix, and
   * may count entries about to expire). `undefined` when the store could not answer (counted in
   * `errors`) or the cache is closed.
   */
  readonly size: number | undefined;
}

/**
 * A cache over a pluggable store; create one with {@link createCache}. Every method is async because a
 * store may be remote. TTLs are seconds (fractions allowed). Keys are any strings.
 *
 * A store failure or timeout never makes a read throw: `get` answers undefined, `getOrSet` calls
 * `fetchFn`, and the error is counted and emitted. Writes do the same unless the cache is `strict`.
 * After `close()`, every method but `close` and `getStats` rejects with `ERR_KEEL_CACHE_CLOSED`.
 *
 * @example
 * ```ts
 * const cache = createCache({ defaultTtl: 60 });
 * await cache.set("user:1", { name: "Ada" });
 * const user = await cache.get<{ name: string }>("user:1");
 * const modules = await cache.getOrSet("modules", () => db.listModules(), { ttl: 3600, tags: ["modules"] });
 * await cache.invalidateTags(["modules"]);
 * ```
 */
export interface Cache {
  /** Subscribe to `hit`, `miss`, `set`, `delete`, `evict` and `error` events. */
  readonly events: CacheEventSource;
  /** The fresh value of `key`, or undefined. Never returns an expired value, stale period or not. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /**
   * Stores `value` under `key` for `ttl` seconds (or the options' `ttl`; `defaultTtl` when omitted).
   * `undefined` cannot be cached (it would read as a miss): cache `null` instead.
   */
  set<T>(key: string, value: T, ttl?: TtlArgument): Promise<void>;
  /** Removes `key`; resolves to whether it was there. An in-flight `getOrSet` of `key` will not store its result. */
  delete(key: string): Promise<boolean>;
  /** Removes every entry of this cache's store (for a shared store: only its own prefix). */
  clear(): Promise<void>;
  /** Whether `key` holds a fresh value. Counts neither a hit nor a miss. */
  has(key: string): Promise<boolean>;
  /**
   * The fresh value of `key`, else the result of `fetchFn`, stored for `ttl`. Concurrent misses of
   * one key in this process run `fetchFn` once and share its result; a rejection reaches every
   * waiting caller and is not cached. With `staleTtl`, an expired value is served during that period
   * while one background refresh runs; when a refresh fails, the stale value keeps being served and
   * the failure is counted (grace). A `fetchFn` result of `undefined` is returned but not cached.
   */
  getOrSet<T>(key: string, fetchFn: () => T | Promise<T>, ttl?: TtlArgument): Promise<T>;
  /** The cache's counters and the store's size; async because the size comes from the store. */
  getStats(): Promise<CacheStats>;
  /**
   * Removes the keys matching the glob `pattern` (`*` any run, `?` one character, `\` escapes);
   * resolves to how many were removed. Never compiled to a regular expression.
   */
  invalidate(pattern: string): Promise<number>;
  /** Removes every entry carrying any of `tags`; resolves to how many were removed. */
  invalidateTags(tags: readonly string[]): Promise<number>;
  /**
   * Iterates the keys the store holds (matching the glob `pattern` when given) without copying the
   * whole key set. Entries in their stale period are included. Keys written or removed during the
   * iteration may or may not be seen. A store failure ends the iteration with a thrown `CacheError`.
   */
  keys(pattern?: string): AsyncIterableIterator<string>;
  /** Stops the cache and closes its store (timers, subscriptions); never a client you passed in. Idempotent. */
  close(): Promise<void>;
}
