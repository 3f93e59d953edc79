import type { Cache, CacheStats } from "./cache-api.js";
import { type Clock, systemClock } from "./clock.js";
import { CacheError, describeValue } from "./errors.js";
import { CacheEmitter, type CacheEventSource, type CacheOperation } from "./events.js";
import { type Flight, Flights } from "./flights.js";
import { compileGlob } from "./glob.js";
import { type LiveAccess, liveAccessOf } from "./live-access.js";
import {
  type CacheOptions,
  keyError,
  type ResolvedCacheOptions,
  resolveCacheOptions,
  setArgumentError,
  type TtlArgument,
} from "./options.js";
import { callStore, storeError } from "./store-call.js";
import { memoryStore } from "./stores/memory.js";
import type { CacheEntry, CacheStore, EvictionReason } from "./types.js";

const RESOLVED_UNDEFINED: Promise<undefined> = Promise.resolve(undefined);

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
  readonly #emitter = new CacheEmitter();
  readonly #store: CacheStore;
  readonly #clock: Clock;
  readonly #defaultTtl: number;
  readonly #timeout: number | undefined;
  readonly #strict: boolean;
  readonly #flights: Flights;
  /** Store reads in progress per key (remote stores): concurrent readers of a key share one round trip. */
  readonly #reads = new Map<string, Promise<CacheEntry | undefined>>();
  readonly #stopEvictions: () => void;
  /** The synchronous path into an in-process store; undefined for remote stores and once closed. */
  #live: LiveAccess | undefined;
  #closing: Promise<void> | undefined;
  #hits = 0;
  #misses = 0;
  #sets = 0;
  #deletes = 0;
  #evictions = 0;
  #errors = 0;

  constructor(options: ResolvedCacheOptions) {
    const live = options.store === undefined ? undefined : liveAccessOf(options.store);
    if (options.clock !== undefined) live?.useClock(options.clock);
    this.#clock = options.clock ?? live?.clock ?? systemClock;
    this.#store = options.store ?? memoryStore(options.clock === undefined ? {} : { clock: options.clock });
    this.#live = liveAccessOf(this.#store);
    this.#timeout = this.#live === undefined ? options.storeTimeout : undefined;
    this.#defaultTtl = options.defaultTtl;
    this.#strict = options.strict;
    this.#flights = new Flights({
      clock: this.#clock,
      onStale: (key, cause) =>
        this.#report(fetchError(key, cause, "served the stale value (grace)"), "getOrSet", key),
      store: (key, value, arg) => this.#storeFetched(key, value, arg),
    });
    this.#stopEvictions = this.#store.onEvict((key, reason) => this.#evicted(key, reason));
    this.events = this.#emitter;
  }

  get<T = unknown>(key: string): Promise<T | undefined> {
    const live = this.#live;
    if (live !== undefined && typeof key === "string") {
      const entry = live.get(key);
      if (entry !== undefined) {
        const now = this.#clock.now();
        if (entry.expiresAt > now) {
          this.#hits++;
          if (this.#emitter.hitListened) this.#emitter.emit("hit", { key, stale: false });
          return Promise.resolve(entry.value as T);
        }
        if (entry.staleUntil <= now) live.expire(key, entry);
      }
      this.#miss(key);
      return RESOLVED_UNDEFINED;
    }
    return this.#getRemote(key);
  }

  async #getRemote<T>(key: string): Promise<T | undefined> {
    this.#usableKey(key);
    const entry = await this.#readEntry("get", key);
    if (entry !== undefined && entry.expiresAt > this.#clock.now()) {
      this.#hit(key, false);
      return entry.value as T;
    }
    this.#miss(key);
    return undefined;
  }

  set<T>(key: string, value: T, ttl?: TtlArgument): Promise<void> {
    const problem = keyError(key) ?? setArgumentError(ttl) ?? valueError(value) ?? this.#closedError();
    if (problem !== undefined) return Promise.reject(problem);
    this.#forget(key);
    const entry = this.#entry(value, ttl);
    const live = this.#live;
    if (live !== undefined) {
      try {
        live.set(key, entry);
      } catch (cause) {
        return this.#failedWrite(storeError(this.#store.name, "set", key, cause), "set", key);
      }
      this.#wrote(key, entry);
      return RESOLVED_UNDEFINED;
    }
    return this.#write("set", key, () => this.#store.set(key, entry).then(() => true), false).then(
      (stored) => {
        if (stored) this.#wrote(key, entry);
      },
    );
  }

  async delete(key: string): Promise<boolean> {
    this.#usableKey(key);
    this.#forget(key);
    const removed = await this.#write("delete", key, () => this.#store.delete(key), false);
    if (removed) this.#deletes++;
    this.#emitter.emit("delete", { operation: "delete", key, count: removed ? 1 : 0 });
    return removed;
  }

  async clear(): Promise<void> {
    this.#usable();
    this.#flights.cancelAll();
    this.#reads.clear();
    await this.#write("clear", undefined, () => this.#store.clear(), undefined);
    this.#emitter.emit("delete", { operation: "clear" });
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
    this.#usableKey(key);
    const entry = await this.#readEntry("has", key);
    return entry !== undefined && entry.expiresAt > this.#clock.now();
  }

  getOrSet<T>(key: string, fetchFn: () => T | Promise<T>, ttl?: TtlArgument): Promise<T> {
    const problem = keyError(key) ?? fetchFnError(fetchFn) ?? setArgumentError(ttl) ?? this.#closedError();
    if (problem !== undefined) return Promise.reject(problem);
    const live = this.#live;
    if (live !== undefined) {
      const entry = live.get(key);
      if (entry !== undefined) return this.#answer(key, entry, this.#clock.now(), fetchFn, ttl);
      this.#miss(key);
      return this.#flights.join<T>(key, fetchFn, ttl);
    }
    return this.#getOrSetRemote(key, fetchFn, ttl);
  }

  async #getOrSetRemote<T>(key: string, fetchFn: () => T | Promise<T>, ttl: TtlArgument): Promise<T> {
    // Join a fetch already running before asking the store; concurrent first readers share one read.
    if (this.#flights.fetching(key)) {
      this.#miss(key);
      return this.#flights.join<T>(key, fetchFn, ttl);
    }
    const entry = await this.#readEntry("getOrSet", key);
    if (entry !== undefined) return this.#answer(key, entry, this.#clock.now(), fetchFn, ttl);
    this.#miss(key);
    return this.#flights.join<T>(key, fetchFn, ttl);
  }

  /** Answers a `getOrSet` from the entry the store had: fresh, stale (and refresh), or a miss. */
  #answer<T>(
    key: string,
    entry: CacheEntry,
    now: number,
    fetchFn: () => T | Promise<T>,
    ttl: TtlArgument,
  ): Promise<T> {
    if (entry.expiresAt > now) {
      this.#hit(key, false);
      return Promise.resolve(entry.value as T);
    }
    if (entry.staleUntil > now) {
      this.#hit(key, true);
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
    this.#miss(key);
    return this.#flights.join<T>(key, fetchFn, ttl);
  }

  /** Stores a value `getOrSet` fetched. Never rejects: a failure is counted and emitted, strict or not. */
  #storeFetched(key: string, value: unknown, ttl: TtlArgument): Promise<void> {
    const entry = this.#entry(value, ttl);
    const live = this.#live;
    if (live !== undefined) {
      try {
        live.set(key, entry);
        this.#wrote(key, entry);
      } catch (cause) {
        this.#report(storeError(this.#store.name, "getOrSet", key, cause), "getOrSet", key);
      }
      return RESOLVED_UNDEFINED;
    }
    return callStore(this.#store.name, "getOrSet", key, this.#timeout, () =>
      this.#store.set(key, entry),
    ).then(
      () => this.#wrote(key, entry),
      (error: CacheError) => void this.#report(error, "getOrSet", key),
    );
  }

  async getStats(): Promise<CacheStats> {
    const size =
      this.#closing === undefined ? await this.#read("size", undefined, () => this.#store.size()) : undefined;
    const reads = this.#hits + this.#misses;
    return {
      hits: this.#hits,
      misses: this.#misses,
      hitRatio: reads === 0 ? 0 : this.#hits / reads,
      sets: this.#sets,
      deletes: this.#deletes,
      evictions: this.#evictions,
      errors: this.#errors,
      size,
    };
  }

  async invalidate(pattern: string): Promise<number> {
    this.#usable();
    const matches = compileGlob(pattern);
    this.#flights.cancelMatching((key) => matches(key));
    for (const key of this.#reads.keys()) if (matches(key)) this.#reads.delete(key);
    const count = await this.#write("invalidate", undefined, () => this.#store.invalidate(pattern), 0);
    this.#deletes += count;
    this.#emitter.emit("delete", { operation: "invalidate", pattern, count });
    return count;
  }

  async invalidateTags(tags: readonly string[]): Promise<number> {
    this.#usable();
    const problem = tagsError(tags);
    if (problem !== undefined) throw problem;
    const wanted = new Set(tags);
    this.#flights.cancelMatching((_key, flight: Flight) => flight.tags.some((tag) => wanted.has(tag)));
    this.#reads.clear(); // which pending reads carry these tags is unknown: all start over
    const count = await this.#write(
      "invalidateTags",
      undefined,
      () => this.#store.invalidateTags([...wanted]),
      0,
    );
    this.#deletes += count;
    this.#emitter.emit("delete", { operation: "invalidateTags", tags: [...wanted], count });
    return count;
  }

  keys(pattern?: string): AsyncIterableIterator<string> {
    this.#usable();
    if (pattern !== undefined) compileGlob(pattern); // validates eagerly
    return this.#iterate(pattern);
  }

  async *#iterate(pattern: string | undefined): AsyncIterableIterator<string> {
    let iterator: AsyncIterator<string> | undefined;
    try {
      for (;;) {
        const step: IteratorResult<string> = await callStore(
          this.#store.name,
          "keys",
          undefined,
          this.#timeout,
          () => {
            iterator ??= this.#store.keys(pattern)[Symbol.asyncIterator]();
            return iterator.next();
          },
        ).catch((error: CacheError) => {
          throw this.#report(error, "keys");
        });
        if (step.done === true) return;
        yield step.value;
      }
    } finally {
      await iterator?.return?.();
    }
  }

  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#live = undefined;
    this.#flights.cancelAll();
    this.#stopEvictions();
    this.#closing = callStore(this.#store.name, "close", undefined, this.#timeout, () =>
      this.#store.close(),
    ).catch((error: CacheError) => {
      throw this.#report(error, "close");
    });
    return this.#closing;
  }

  /** A local write to `key`: a running fetch must not store over it, and later reads must not reuse an older read. */
  #forget(key: string): void {
    this.#flights.cancel(key);
    this.#reads.delete(key);
  }

  #entry(value: unknown, arg: TtlArgument): CacheEntry {
    let ttl = this.#defaultTtl;
    let staleTtl = 0;
    let tags: readonly string[] | undefined;
    if (typeof arg === "number") ttl = arg;
    else if (arg !== undefined) {
      ttl = arg.ttl ?? ttl;
      staleTtl = arg.staleTtl ?? 0;
      tags = arg.tags;
    }
    const expiresAt = this.#clock.now() + ttl * 1000;
    const staleUntil = expiresAt + staleTtl * 1000;
    return tags === undefined || tags.length === 0
      ? { value, expiresAt, staleUntil }
      : { value, expiresAt, staleUntil, tags: [...tags] };
  }

  /** One store read per key at a time: callers arriving while it runs share it (and its error count). */
  #readEntry(operation: CacheOperation, key: string): Promise<CacheEntry | undefined> {
    const pending = this.#reads.get(key);
    if (pending !== undefined) return pending;
    const read = this.#read(operation, key, () => this.#store.get(key));
    this.#reads.set(key, read);
    void read.then(() => {
      if (this.#reads.get(key) === read) this.#reads.delete(key);
    });
    return read;
  }

  #read<T>(
    operation: CacheOperation,
    key: string | undefined,
    run: () => Promise<T>,
  ): Promise<T | undefined> {
    return callStore(this.#store.name, operation, key, this.#timeout, run).catch((error: CacheError) => {
      this.#report(error, operation, key);
      return undefined;
    });
  }

  #write<T>(
    operation: CacheOperation,
    key: string | undefined,
    run: () => Promise<T>,
    fallback: T,
  ): Promise<T> {
    return callStore(this.#store.name, operation, key, this.#timeout, run).catch((error: CacheError) =>
      this.#failedWrite(error, operation, key).then(() => fallback),
    );
  }

  #failedWrite(error: CacheError, operation: CacheOperation, key: string | undefined): Promise<undefined> {
    this.#report(error, operation, key);
    return this.#strict ? Promise.reject(error) : RESOLVED_UNDEFINED;
  }

  #report(error: CacheError, operation: CacheOperation, key?: string): CacheError {
    this.#errors++;
    this.#emitter.emit("error", key === undefined ? { error, operation } : { error, operation, key });
    return error;
  }

  #hit(key: string, stale: boolean): void {
    this.#hits++;
    if (this.#emitter.has("hit")) this.#emitter.emit("hit", { key, stale });
  }

  #miss(key: string): void {
    this.#misses++;
    if (this.#emitter.has("miss")) this.#emitter.emit("miss", { key });
  }

  #wrote(key: string, entry: CacheEntry): void {
    this.#sets++;
    if (this.#emitter.has("set"))
      this.#emitter.emit("set", { key, ttl: (entry.expiresAt - this.#clock.now()) / 1000 });
  }

  #evicted(key: string, reason: EvictionReason): void {
    if (reason === "capacity") this.#evictions++;
    this.#emitter.emit("evict", { key, reason });
  }

  #closedError(): CacheError | undefined {
    return this.#closing === undefined ? undefined : closedError();
  }

  /** Throws when the cache is closed. */
  #usable(): void {
    if (this.#closing !== undefined) throw closedError();
  }

  /** Throws when the cache is closed or `key` is not a string. */
  #usableKey(key: unknown): void {
    this.#usable();
    const problem = keyError(key);
    if (problem !== undefined) throw problem;
  }
}

function closedError(): CacheError {
  return new CacheError(
    "ERR_KEEL_CACHE_CLOSED",
    "the cache was used after close(); create a new cache instead",
  );
}

function valueError(value: unknown): CacheError | undefined {
  if (value !== undefined) return undefined;
  return new CacheError(
    "ERR_KEEL_CACHE_ARGUMENT",
    "undefined cannot be cached (a get would read it as a miss); cache null instead",
  );
}

function fetchFnError(fetchFn: unknown): CacheError | undefined {
  if (typeof fetchFn === "function") return undefined;
  return new CacheError(
    "ERR_KEEL_CACHE_ARGUMENT",
    `getOrSet needs a fetchFn function, got ${describeValue(fetchFn)}`,
  );
}

function tagsError(tags: unknown): CacheError | undefined {
  if (Array.isArray(tags) && tags.every((tag) => typeof tag === "string")) return undefined;
  return new CacheError(
    "ERR_KEEL_CACHE_ARGUMENT",
    `tags must be an array of strings, got ${describeValue(tags)}`,
  );
}

function fetchError(key: string, cause: unknown, outcome: string): CacheError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new CacheError(
    "ERR_KEEL_CACHE_FETCH",
    `fetchFn for key ${JSON.stringify(key)} failed (${reason}); ${outcome}`,
    {
      cause,
    },
  );
}
