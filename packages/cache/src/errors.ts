/**
 * The stable codes a {@link CacheError} carries. Match on `code`, never on the message.
 *
 * - `ERR_KEEL_CACHE_OPTION`: an option given to a factory is invalid (the message names it).
 * - `ERR_KEEL_CACHE_TTL`: a TTL (`ttl`, `staleTtl`, `defaultTtl`) is not a positive finite number of seconds.
 * - `ERR_KEEL_CACHE_ARGUMENT`: a call argument is invalid: a key, pattern or tag that is not a string,
 *   an `undefined` value, a `fetchFn` that is not a function.
 * - `ERR_KEEL_CACHE_STORE`: the store failed (the store's error is the `cause`).
 * - `ERR_KEEL_CACHE_STORE_TIMEOUT`: the store did not answer within `storeTimeout`.
 * - `ERR_KEEL_CACHE_FETCH`: a `fetchFn` failed and a stale value was served instead (grace); the
 *   `fetchFn` error is the `cause`. Only emitted and counted: callers received the stale value.
 * - `ERR_KEEL_CACHE_SERIALIZE`: a value could not be serialized or deserialized by a remote store.
 * - `ERR_KEEL_CACHE_CLOSED`: the cache or store was used after `close()`.
 *
 * @example
 * ```ts
 * cache.events.on("error", ({ error }) => {
 *   if (error.code === "ERR_KEEL_CACHE_STORE_TIMEOUT") metrics.increment("cache.store.timeout");
 * });
 * ```
 */
export type CacheErrorCode =
  | "ERR_KEEL_CACHE_OPTION"
  | "ERR_KEEL_CACHE_TTL"
  | "ERR_KEEL_CACHE_ARGUMENT"
  | "ERR_KEEL_CACHE_STORE"
  | "ERR_KEEL_CACHE_STORE_TIMEOUT"
  | "ERR_KEEL_CACHE_FETCH"
  | "ERR_KEEL_CACHE_SERIALIZE"
  | "ERR_KEEL_CACHE_CLOSED";

/**
 * The one error class of `@keel/cache`: a stable `code`, a message that says what was wrong and how
 * to fix it, and the underlying `cause` when there is one.
 *
 * @example
 * ```ts
 * import { CacheError, createCache } from "@keel/cache";
 *
 * const cache = createCache();
 * try {
 *   await cache.set("user:1", { name: "Ada" }, 0);
 * } catch (error) {
 *   if (error instanceof CacheError && error.code === "ERR_KEEL_CACHE_TTL") {
 *     console.error(error.message); // "ttl must be a positive finite number of seconds, got 0 ..."
 *   }
 * }
 * ```
 */
export class CacheError extends Error {
  /** The stable code to match on. */
  readonly code: CacheErrorCode;

  constructor(code: CacheErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CacheError";
    this.code = code;
  }
}

/** Formats a bad value for an error message without throwing on odd inputs. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return "a function";
  return Array.isArray(value) ? "an array" : "an object";
}

/** The error every method of a closed cache rejects with. */
export function closedError(): CacheError {
  return new CacheError(
    "ERR_KEEL_CACHE_CLOSED",
    "the cache was used after close(); create a new cache instead",
  );
}

/** A `fetchFn` failure the cache answered without throwing (grace), for the `error` event. */
export function fetchError(key: string, cause: unknown, outcome: string): CacheError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new CacheError(
    "ERR_KEEL_CACHE_FETCH",
    `fetchFn for key ${JSON.stringify(key)} failed (${reason}); ${outcome}`,
    {
      cause,
    },
  );
}
