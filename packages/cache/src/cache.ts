import { entryFor, fetchFnError, keyError, setArgumentError, tagsError, valueError } from "./arguments.js";
import type { Cache, CacheStats } from "./cache-api.js";
import { CacheMeter } from "./cache-meter.js";
import { type Clock, systemClock } from "./clock.js";
import { type CacheError, closedError, fetchError } from "./errors.js";
import type { CacheEventSource, CacheOperation } from "./events.js";
import { type Flight, Flights } from "./flights.js";
import { compileGlob } from "./glob.js";
import { type LiveAccess, liveAccessOf } from "./live-access.js";
import {
  type CacheOptions,
  type ResolvedCacheOptions,
  resolveCacheOptions,
  type TtlArgument,
} from "./options.js";
import { storeError } from "./store-call.js";
import { StoreGateway } from "./store-gateway.js";
import { memoryStore } from "./stores/memory.js";
import type { CacheEntry, CacheStore } from "./types.js";

const RESOLVED_UNDEFINED: Promise<undefined> = Promise.resolve(undefined);

/**
 * Internal to the package (not exported from its entry points): `get(key)` that returns the value
 * itself, without a promise, when an in-process store answered. The response cache's hit path.
 */
export const getNow: unique symbol = Symbol("@keel/cache.getNow");

/**
 * Creates a cache. With no store it keeps up to 10,000 entries in process (`memoryStore`); pass
 * `redisStore(...)` or `tieredStore([...])` to share entries between processes.
 *
 * On an in-process store a hit is synchronous under the hood: no serialization, no options object,
 * no promise chain beyond the one returned, so `await cache.get(key)` costs about what an awaited
 * lru-cache `get` does.
 *
 * @throws CacheError `ERR_KEEL_CACHE_OPTION` or `ERR_KEEL_CACHE_TTL` when an option is invalid.
 * @example
 * ```ts
 * import { createCache } from "@keel/cache";
 *
 * const cache = createCache({ defaultTtl: 3600 });
 * const modules = await cache.getOrSet("/modules", () => db.query("select * from modules"));
 * await cache.invalidate("/modules*"); // after a write
 * await cache.close();
 * ```
 */
export function createCache(options?: CacheOptions): Cache {
  return new KeelCache(resolveCacheOptions(options));
}

class KeelCache implements Cache {
  readonly events: CacheEventSource;
  readonly #meter = new CacheMeter();
  readonly #store: CacheStore;
  readonly #clock: Clock;
  readonly #defaultTtl: number;
  readonly #gateway: StoreGateway;
  readonly #flights: Flights;
  readonly #stopEvictions: () => void;
  /** The synchronous path into an in-process store; undefined for remote stores and once closed. */
  #live: LiveAccess | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: ResolvedCacheOptions) {
    const given = options.store === undefined ? undefined : liveAccessOf(options.store);
    if (options.clock !== undefined) given?.useClock(options.clock);
    this.#clock = options.clock ?? given?.clock ?? systemClock;
    this.#store = options.store ?? memoryStore(options.clock === undefined ? {} : { clock: options.clock });
    this.#live = liveAccessOf(this.#store);
    this.#defaultTtl = options.defaultTtl;
    this.#gateway = new StoreGateway({
      store: this.#store,
      timeout: this.#live === undefined ? options.storeTimeout : undefined,
      strict: options.strict,
      report: (error, operation, key) => this.#report(error, operation, key),
    });
    this.#flights = new Flights({
      clock: this.#clock,
      onStale: (key, cause) =>
        this.#report(fetchError(key, cause, "served the stale value (grace)"), "getOrSet", key),
      store: (key, value, ttl) => this.#storeFetched(key, value, ttl),
    });
    this.#stopEvictions = this.#store.onEvict((key, reason) => this.#meter.evicted(key, reason));
    this.events = this.#meter;
  }

  get<T = unknown>(key: string): Promise<T | undefined> {
    const value = this[getNow]<T>(key);
    if (value instanceof Promise) return value;
    return value === undefined ? RESOLVED_UNDEFINED : Promise.resolve(value);
  }

  [getNow]<T = unknown>(key: string): T | undefined | Promise<T | undefined> {
    const live = this.#live;
    if (live !== undefined && typeof key === "string") {
      const entry = live.get(key);
      if (entry !== undefined) {
        const now = this.#clock.now();
        if (entry.expiresAt > now) {
          const meter = this.#meter;
          meter.hits++;
          if (meter.hitListened) meter.emit("hit", { key, stale: false });
          return entry.value as T;
        }
        if (entry.staleUntil <= now) live.expire(key, entry);
      }
      this.#meter.miss(key);
      return undefined;
    }
    return this.#getRemote(key);
  }

  async #getRemote<T>(key: string): Promise<T | undefined> {
    this.#usable(key);
    const entry = await this.#gateway.readEntry("get", key);
    if (entry !== undefined && entry.expiresAt > this.#clock.now()) {
      this.#meter.hit(key, false);
      return entry.value as T;
    }
    this.#meter.miss(key);
    return undefined;
  }

  set<T>(key: string, value: T, ttl?: TtlArgument): Promise<void> {
    const problem = keyError(key) ?? setArgumentError(ttl) ?? valueError(value) ?? this.#closedError();
    if (problem !== undefined) return Promise.reject(problem);
    this.#forget(key);
    const entry = entryFor(value, ttl, this.#defaultTtl, this.#clock.now());
    const live = this.#live;
    if (live !== undefined) {
      try {
        live.set(key, entry);
      } catch (cause) {
        return this.#gateway.failedWrite(storeError(this.#store.name, "set", key, cause), "set", key);
      }
      this.#wrote(key, entry);
      return RESOLVED_UNDEFINED;
    }
    const stored = this.#gateway.write("set", key, () => this.#store.set(key, entry).then(() => true), false);
    return stored.then((ok) => {
      if (ok) this.#wrote(key, entry);
    });
  }

  async delete(key: string): Promise<boolean> {
    this.#usable(key);
    this.#forget(key);
    const removed = await this.#gateway.write("delete", key, () => this.#store.delete(key), false);
    this.#meter.deleted({ operation: "delete", key, count: removed ? 1 : 0 });
    return removed;
  }

  async clear(): Promise<void> {
    this.#usable();
    this.#flights.cancelAll();
    this.#gateway.forgetReads();
    await this.#gateway.write("clear", undefined, () => this.#store.clear(), undefined);
    this.#meter.deleted({ operation: "clear" });
  }

  has(key: string): Promise<boolean> {
    const live = this.#live;
    if (live !== undefined && typeof key === "string") {
      const entry = live.get(key);
      return Promise.resolve(entry !== undefined && entry.expiresAt > this.#clock.now());
    }
    return this.#hasRemote(key);
  }

  async #hasRemote(key: string): Promise<boolean> {
    this.#usable(key);
    const entry = await this.#gateway.readEntry("has", key);
    return entry !== undefined && entry.expiresAt > this.#clock.now();
  }

  getOrSet<T>(key: string, fetchFn: () => T | Promise<T>, ttl?: TtlArgument): Promise<T> {
    const problem = keyError(key) ?? fetchFnError(fetchFn) ?? setArgumentError(ttl) ?? this.#closedError();
    if (problem !== undefined) return Promise.reject(problem);
    const live = this.#live;
    if (live !== undefined) {
      const entry = live.get(key);
      if (entry !== undefined) return this.#answer(key, entry, fetchFn, ttl);
      this.#meter.miss(key);
      return this.#flights.join<T>(key, fetchFn, ttl);
    }
    return this.#getOrSetRemote(key, fetchFn, ttl);
  }

  async #getOrSetRemote<T>(key: string, fetchFn: () => T | Promise<T>, ttl: TtlArgument): Promise<T> {
    // Join a fetch already running before asking the store; concurrent first readers share one read.
    if (!this.#flights.fetching(key)) {
      const entry = await this.#gateway.readEntry("getOrSet", key);
      if (entry !== undefined) return this.#answer(key, entry, fetchFn, ttl);
    }
    this.#meter.miss(key);
    return this.#flights.join<T>(key, fetchFn, ttl);
  }

  /** Answers a `getOrSet` from the entry the store had: fresh, stale (and refresh), or a miss. */
  #answer<T>(key: string, entry: CacheEntry, fetchFn: () => T | Promise<T>, ttl: TtlArgument): Promise<T> {
    const now = this.#clock.now();
    if (entry.expiresAt > now) {
      this.#meter.hit(key, false);
      return Promise.resolve(entry.value as T);
    }
    if (entry.staleUntil > now) {
      this.#meter.hit(key, true);
      this.#flights.refresh(key, fetchFn, ttl, entry, (cause) =>
        this.#report(
          fetchError(key, cause, "the stale period ended before a refresh succeeded"),
          "getOrSet",
          key,
        ),
      );
      return Promise.resolve(entry.value as T);
    }
    this.#live?.expire(key, entry);
    this.#meter.miss(key);
    return this.#flights.join<T>(key, fetchFn, ttl);
  }

  /** Stores a value `getOrSet` fetched. Never rejects: a failure is counted and emitted, strict or not. */
  #storeFetched(key: string, value: unknown, ttl: TtlArgument): Promise<void> {
    const entry = entryFor(value, ttl, this.#defaultTtl, this.#clock.now());
    const live = this.#live;
    if (live === undefined) {
      return this.#gateway
        .call("getOrSet", key, () => this.#store.set(key, entry))
        .then(
          () => this.#wrote(key, entry),
          (error: CacheError) => this.#report(error, "getOrSet", key),
        );
    }
    try {
      live.set(key, entry);
      this.#wrote(key, entry);
    } catch (cause) {
      this.#report(storeError(this.#store.name, "getOrSet", key, cause), "getOrSet", key);
    }
    return RESOLVED_UNDEFINED;
  }

  async getStats(): Promise<CacheStats> {
    const size =
      this.#closing === undefined
        ? await this.#gateway.read("size", undefined, () => this.#store.size())
        : undefined;
    return this.#meter.stats(size);
  }

  async invalidate(pattern: string): Promise<number> {
    this.#usable();
    const matches = compileGlob(pattern);
    this.#flights.cancelMatching((key) => matches(key));
    this.#gateway.forgetReads(matches);
    const count = await this.#gateway.write(
      "invalidate",
      undefined,
      () => this.#store.invalidate(pattern),
      0,
    );
    this.#meter.deleted({ operation: "invalidate", pattern, count });
    return count;
  }

  async invalidateTags(tags: readonly string[]): Promise<number> {
    this.#usable();
    const problem = tagsError(tags);
    if (problem !== undefined) throw problem;
    const wanted = [...new Set(tags)];
    this.#flights.cancelMatching((_key, flight: Flight) => flight.tags.some((tag) => wanted.includes(tag)));
    this.#gateway.forgetReads(); // which pending reads carry these tags is unknown: all start over
    const count = await this.#gateway.write(
      "invalidateTags",
      undefined,
      () => this.#store.invalidateTags(wanted),
      0,
    );
    this.#meter.deleted({ operation: "invalidateTags", tags: wanted, count });
    return count;
  }

  keys(pattern?: string): AsyncIterableIterator<string> {
    this.#usable();
    if (pattern !== undefined) compileGlob(pattern); // validates eagerly
    return this.#gateway.keys(pattern);
  }

  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#live = undefined;
    this.#flights.cancelAll();
    this.#stopEvictions();
    this.#closing = this.#gateway
      .call("close", undefined, () => this.#store.close())
      .catch((error: CacheError) => {
        this.#report(error, "close");
        throw error;
      });
    return this.#closing;
  }

  /** A local write to `key`: a running fetch must not store over it, nor later reads reuse an older read. */
  #forget(key: string): void {
    this.#flights.cancel(key);
    this.#gateway.forgetRead(key);
  }

  #report(error: CacheError, operation: CacheOperation, key?: string): void {
    this.#meter.report(error, operation, key);
  }

  #wrote(key: string, entry: CacheEntry): void {
    this.#meter.wrote(key, (entry.expiresAt - this.#clock.now()) / 1000);
  }

  #closedError(): CacheError | undefined {
    return this.#closing === undefined ? undefined : closedError();
  }

  /** Throws when the cache is closed, or when a `key` is given that is not a string. */
  #usable(...key: [unknown?]): void {
    if (this.#closing !== undefined) throw closedError();
    const problem = key.length === 0 ? undefined : keyError(key[0]);
    if (problem !== undefined) throw problem;
  }
}
