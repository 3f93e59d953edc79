import { ttlError } from "./arguments.js";
import type { Clock } from "./clock.js";
import { CacheError, describeValue } from "./errors.js";
import type { CacheStore } from "./types.js";

/**
 * Options of {@link createCache}. Every option is validated when the cache is created.
 *
 * @example
 * ```ts
 * const cache = createCache({ defaultTtl: 60, storeTimeout: 100, strict: false });
 * ```
 */
export interface CacheOptions {
  /**
   * Where entries live. Closed by `cache.close()`.
   * @default memoryStore({ max: 10_000 }), using the cache's clock
   */
  readonly store?: CacheStore;
  /**
   * TTL in seconds for `set` and `getOrSet` calls that give none. Fractions allowed.
   * @default 300 (five minutes)
   */
  readonly defaultTtl?: number;
  /**
   * How long one store call may take, in milliseconds, before it counts as failed. A read that times
   * out is a miss; a write that times out is reported (and thrown under `strict`). Not applied to
   * in-process stores (`memoryStore`), whose calls cannot be interrupted anyway.
   * @default 200
   */
  readonly storeTimeout?: number;
  /**
   * When true, failed store writes (`set`, `delete`, `clear`, `invalidate`, `invalidateTags`) reject
   * with a {@link CacheError}. Reads never throw for a store failure, strict or not: a failed read is
   * a miss, and `getOrSet` still answers from `fetchFn`.
   * @default false (failures are counted in `errors` and emitted as `error` events)
   */
  readonly strict?: boolean;
  /**
   * The time source (epoch milliseconds). Inject a fake one in tests.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/**
 * Per-call write options, accepted by `set` and `getOrSet` in place of a TTL number.
 *
 * @example
 * ```ts
 * await cache.set("module:intro", module, { ttl: 3600, tags: ["modules"], staleTtl: 60 });
 * ```
 */
export interface SetOptions {
  /**
   * Seconds the entry is fresh. Fractions allowed.
   * @default the cache's `defaultTtl`
   */
  readonly ttl?: number;
  /** Tags for `invalidateTags`. @default none */
  readonly tags?: readonly string[];
  /**
   * Seconds after expiry during which `getOrSet` may still serve the old value while one background
   * refresh runs, or when `fetchFn` fails (grace). `get` never returns a stale value.
   * @default none (the entry is dropped at expiry)
   */
  readonly staleTtl?: number;
}

/**
 * The TTL argument of `set` and `getOrSet`: seconds, or {@link SetOptions}; `defaultTtl` when omitted.
 *
 * @example
 * ```ts
 * await cache.set("a", 1, 60); // 60 seconds
 * await cache.set("b", 2, { ttl: 0.5, tags: ["t"] }); // half a second, tagged
 * await cache.set("c", 3); // defaultTtl
 * ```
 */
export type TtlArgument = number | SetOptions | undefined;

/** Validated factory options, defaults applied. */
export interface ResolvedCacheOptions {
  readonly store: CacheStore | undefined;
  readonly defaultTtl: number;
  readonly storeTimeout: number;
  readonly strict: boolean;
  readonly clock: Clock | undefined;
}

const OPTION_NAMES = new Set(["store", "defaultTtl", "storeTimeout", "strict", "clock"]);

function optionError(message: string): CacheError {
  return new CacheError("ERR_KEEL_CACHE_OPTION", message);
}

/** Validates {@link CacheOptions} eagerly and applies the defaults. */
export function resolveCacheOptions(options: CacheOptions | undefined): ResolvedCacheOptions {
  if (options === undefined) {
    return { store: undefined, defaultTtl: 300, storeTimeout: 200, strict: false, clock: undefined };
  }
  if (typeof options !== "object" || options === null) {
    throw optionError(`createCache options must be an object, got ${describeValue(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) {
      throw optionError(
        `unknown option ${JSON.stringify(name)}; createCache takes store, defaultTtl, storeTimeout, strict and clock`,
      );
    }
  }
  const { store, defaultTtl = 300, storeTimeout = 200, strict = false, clock } = options;
  const ttlProblem = ttlError("defaultTtl", defaultTtl);
  if (ttlProblem) throw ttlProblem;
  if (typeof storeTimeout !== "number" || !(storeTimeout > 0) || !Number.isFinite(storeTimeout)) {
    throw optionError(
      `storeTimeout must be a positive finite number of milliseconds, got ${describeValue(storeTimeout)}`,
    );
  }
  if (typeof strict !== "boolean")
    throw optionError(`strict must be a boolean, got ${describeValue(strict)}`);
  if (
    clock !== undefined &&
    (typeof clock !== "object" || clock === null || typeof clock.now !== "function")
  ) {
    throw optionError(
      `clock must be an object with a now() method returning epoch milliseconds, got ${describeValue(clock)}`,
    );
  }
  if (store !== undefined && !isStore(store)) {
    throw optionError(
      "store must implement CacheStore (name, capabilities, get, set, delete, clear, keys, ...)",
    );
  }
  return { store, defaultTtl, storeTimeout, strict, clock };
}

const STORE_METHODS = [
  "get",
  "set",
  "delete",
  "clear",
  "keys",
  "invalidate",
  "invalidateTags",
  "size",
  "onEvict",
  "close",
];

function isStore(value: unknown): value is CacheStore {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.name === "string" &&
    typeof record.capabilities === "object" &&
    STORE_METHODS.every((method) => typeof record[method] === "function")
  );
}
