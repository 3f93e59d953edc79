import { LRUCache } from "lru-cache";
import { type Clock, systemClock } from "../clock.js";
import { CacheError, describeValue } from "../errors.js";
import { compileGlob, globLiteral } from "../glob.js";
import { registerLiveAccess } from "../live-access.js";
import type { CacheEntry, CacheStore, EvictionReason } from "../types.js";
import { approximateSize } from "./memory-size.js";

/**
 * Options of {@link memoryStore}. Validated when the store is created.
 *
 * @example
 * ```ts
 * memoryStore({ max: 50_000, maxSize: 64 * 1024 * 1024, sweepInterval: 30 });
 * ```
 */
export interface MemoryStoreOptions {
  /**
   * The most entries held; past it the least recently used entry is evicted (reason `capacity`).
   * lru-cache allocates bookkeeping for `max` entries up front (about 20 bytes each).
   * @default 10_000
   */
  readonly max?: number;
  /**
   * Also bound the total size of the entries, in the units `sizeCalculation` returns (bytes by
   * default). An entry larger than `maxSize` on its own is not stored (reported as a `capacity` eviction).
   * @default none (only `max` bounds the store)
   */
  readonly maxSize?: number;
  /**
   * The size of one value, a positive number (rounded up to an integer). Only used with `maxSize`.
   * @default approximateSize (a rough byte estimate of the value, plus 2 bytes per key character)
   */
  readonly sizeCalculation?: (value: unknown, key: string) => number;
  /**
   * Seconds between sweeps that free entries past their stale period. The sweep timer is `unref()`'d.
   * Expired entries are never returned, sweep or not: the sweep only frees their memory.
   * @default 60
   */
  readonly sweepInterval?: number;
  /**
   * The time source (epoch milliseconds) for expiry and the sweep.
   * @default the clock of the cache that uses the store, else systemClock
   */
  readonly clock?: Clock;
}

const OPTION_NAMES = new Set(["max", "maxSize", "sizeCalculation", "sweepInterval", "clock"]);

function optionError(message: string): CacheError {
  return new CacheError("ERR_KEEL_CACHE_OPTION", `memoryStore: ${message}`);
}

function positiveInteger(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) {
    throw optionError(`${name} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

function validate(options: MemoryStoreOptions): void {
  if (typeof options !== "object" || options === null) {
    throw optionError(`options must be an object, got ${describeValue(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) {
      throw optionError(
        `unknown option ${JSON.stringify(name)}; options are ${[...OPTION_NAMES].join(", ")}`,
      );
    }
  }
  positiveInteger("max", options.max);
  positiveInteger("maxSize", options.maxSize);
  const { sizeCalculation, sweepInterval, clock } = options;
  if (sizeCalculation !== undefined && typeof sizeCalculation !== "function") {
    throw optionError(`sizeCalculation must be a function, got ${describeValue(sizeCalculation)}`);
  }
  if (sizeCalculation !== undefined && options.maxSize === undefined) {
    throw optionError("sizeCalculation needs maxSize: set maxSize to bound the store by size");
  }
  if (
    sweepInterval !== undefined &&
    !(typeof sweepInterval === "number" && sweepInterval > 0 && sweepInterval < 2 ** 31 / 1000)
  ) {
    throw optionError(
      `sweepInterval must be a positive number of seconds below 2,147,483, got ${describeValue(sweepInterval)}`,
    );
  }
  if (
    clock !== undefined &&
    (typeof clock !== "object" || clock === null || typeof clock.now !== "function")
  ) {
    throw optionError(`clock must be an object with a now() method, got ${describeValue(clock)}`);
  }
}

/**
 * An in-process store on lru-cache: values are kept by reference (never serialized), bounded by entry
 * count by default and by size when asked, so a flood of distinct keys cannot grow memory past the
 * bound. Tags are indexed (`invalidateTags` costs O(tagged entries)) and the index is cleaned on every
 * removal, eviction included. A cache on this store reads it synchronously (see `createCache`).
 *
 * Values are live: mutating an object after `set` (or after `get`) mutates the cached copy. Cache
 * immutable values, or copy them.
 *
 * @example
 * ```ts
 * import { createCache, memoryStore } from "@keel/cache";
 *
 * const cache = createCache({ store: memoryStore({ max: 50_000 }) });
 * const bySize = createCache({ store: memoryStore({ maxSize: 32 * 1024 * 1024 }) }); // ~32 MB of values
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): CacheStore {
  validate(options);
  const { max = 10_000, maxSize, sizeCalculation, sweepInterval = 60 } = options;
  let clock = options.clock ?? systemClock;
  let clockFixed = options.clock !== undefined;
  let closed = false;
  let listeners: readonly ((key: string, reason: EvictionReason) => void)[] = [];
  // Our own key set: Set iteration tolerates changes between steps (lru-cache's iterators do not),
  // so keys(), invalidate() and the sweep walk it without copying every key.
  const keySet = new Set<string>();
  const tagIndex = new Map<string, Set<string>>();

  const emit = (key: string, reason: EvictionReason): void => {
    for (const listener of listeners) listener(key, reason);
  };
  const untag = (key: string, entry: CacheEntry): void => {
    if (entry.tags === undefined) return;
    for (const tag of entry.tags) {
      const keys = tagIndex.get(tag);
      if (keys === undefined) continue;
      keys.delete(key);
      if (keys.size === 0) tagIndex.delete(tag);
    }
  };
  const sizeOf = (entry: CacheEntry, key: string): number => {
    const size = sizeCalculation
      ? sizeCalculation(entry.value, key)
      : approximateSize(entry.value) + 2 * key.length;
    if (typeof size !== "number" || !(size > 0) || !Number.isFinite(size)) {
      throw new CacheError(
        "ERR_KEEL_CACHE_ARGUMENT",
        `memoryStore: sizeCalculation must return a positive finite number, got ${describeValue(size)} for key ${JSON.stringify(key)}`,
      );
    }
    return Math.ceil(size);
  };

  const lru = allocate(
    max,
    () =>
      new LRUCache<string, CacheEntry>({
        max,
        ...(maxSize === undefined ? {} : { maxSize, sizeCalculation: sizeOf }),
        dispose: (entry, key, reason) => {
          untag(key, entry);
          if (reason === "set") return; // replaced: the key stays
          keySet.delete(key);
          if (reason === "evict") emit(key, "capacity");
        },
      }),
  );

  const put = (key: string, entry: CacheEntry): void => {
    lru.set(key, entry);
    if (maxSize !== undefined && lru.peek(key) !== entry) {
      // Larger than maxSize on its own: lru-cache refused it (and dropped any previous entry).
      keySet.delete(key);
      emit(key, "capacity");
      return;
    }
    keySet.add(key);
    if (entry.tags === undefined) return;
    for (const tag of entry.tags) {
      const keys = tagIndex.get(tag);
      if (keys === undefined) tagIndex.set(tag, new Set([key]));
      else keys.add(key);
    }
  };
  const expire = (key: string, entry: CacheEntry): void => {
    if (lru.peek(key) !== entry) return;
    lru.delete(key);
    emit(key, "expired");
  };
  const sweep = (): void => {
    const now = clock.now();
    for (const key of keySet) {
      const entry = lru.peek(key);
      if (entry !== undefined && entry.staleUntil <= now) expire(key, entry);
    }
  };
  const sweeper = setInterval(sweep, sweepInterval * 1000);
  sweeper.unref();

  const open = (): void => {
    if (closed)
      throw new CacheError("ERR_KEEL_CACHE_CLOSED", "memoryStore: the store was used after close()");
  };

  const store: CacheStore = {
    name: "memory",
    capabilities: { liveValues: true, shared: false },
    async get(key) {
      open();
      const entry = lru.get(key);
      if (entry === undefined || entry.staleUntil > clock.now()) return entry;
      expire(key, entry);
      return undefined;
    },
    async set(key, entry) {
      open();
      put(key, entry);
    },
    async delete(key) {
      open();
      return lru.delete(key);
    },
    async clear() {
      open();
      lru.clear();
      keySet.clear();
      tagIndex.clear();
    },
    async *keys(pattern) {
      open();
      const matches = pattern === undefined ? undefined : compileGlob(pattern);
      const now = clock.now();
      for (const key of keySet) {
        if (matches !== undefined && !matches(key)) continue;
        const entry = lru.peek(key);
        if (entry !== undefined && entry.staleUntil > now) yield key;
      }
    },
    async invalidate(pattern) {
      open();
      const matches = compileGlob(pattern);
      const literal = globLiteral(pattern);
      if (literal !== undefined) return lru.delete(literal) ? 1 : 0;
      let count = 0;
      for (const key of keySet) {
        if (matches(key) && lru.delete(key)) count++;
      }
      return count;
    },
    async invalidateTags(tags) {
      open();
      let count = 0;
      for (const tag of tags) {
        const keys = tagIndex.get(tag);
        if (keys === undefined) continue;
        for (const key of keys) if (lru.delete(key)) count++;
      }
      return count;
    },
    async size() {
      open();
      return lru.size;
    },
    onEvict(listener) {
      listeners = [...listeners, listener];
      return () => {
        listeners = listeners.filter((l) => l !== listener);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      lru.clear();
      keySet.clear();
      tagIndex.clear();
      listeners = [];
    },
  };

  registerLiveAccess(store, {
    get: (key) => lru.get(key),
    set: put,
    expire,
    indexSizes: () => {
      let taggedKeys = 0;
      for (const keys of tagIndex.values()) taggedKeys += keys.size;
      return { keys: keySet.size, tags: tagIndex.size, taggedKeys };
    },
    get clock() {
      return clock;
    },
    useClock(next) {
      if (next === clock) return;
      if (clockFixed) {
        throw optionError(
          "the store and its cache were given different clocks: pass the same clock to both, or only to createCache",
        );
      }
      clock = next;
      clockFixed = true;
    },
  });
  return store;
}

/** lru-cache preallocates arrays of `max` slots: a `max` the engine cannot allocate is an option error. */
function allocate<T>(max: number, create: () => T): T {
  try {
    return create();
  } catch (cause) {
    if (!(cause instanceof RangeError)) throw cause;
    throw new CacheError(
      "ERR_KEEL_CACHE_OPTION",
      `memoryStore: max ${max} is more entries than this process can allocate (lru-cache preallocates one slot per entry); use a smaller max, or maxSize to bound by bytes`,
      { cause },
    );
  }
}
