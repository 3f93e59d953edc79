import { CacheError, describeValue } from "./errors.js";
import type { TtlArgument } from "./options.js";
import type { CacheEntry } from "./types.js";

// Checks of per-call arguments. They return the error instead of throwing, so the cache's hit paths
// can reject without an async frame, and they allocate nothing when the argument is valid.

const SET_OPTION_NAMES = ["ttl", "tags", "staleTtl"];

/** Returns an error when `value` is not a positive finite number of seconds, else undefined. */
export function ttlError(name: string, value: unknown): CacheError | undefined {
  if (typeof value === "number" && value > 0 && value < Number.POSITIVE_INFINITY) return undefined;
  return new CacheError(
    "ERR_KEEL_CACHE_TTL",
    `${name} must be a positive finite number of seconds (fractions allowed), got ${describeValue(value)}; ` +
      "there is no 'forever': pass a large TTL, or leave it out to use defaultTtl",
  );
}

function argumentError(message: string): CacheError {
  return new CacheError("ERR_KEEL_CACHE_ARGUMENT", message);
}

/**
 * Checks a per-call TTL argument without allocating. Returns the error to reject with, or undefined.
 * Runs on every `set` and `getOrSet`, hits included, so a bad TTL fails on its first use.
 */
export function setArgumentError(arg: TtlArgument): CacheError | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === "number") return ttlError("ttl", arg);
  if (typeof arg !== "object" || arg === null || Array.isArray(arg)) {
    return ttlError("ttl", arg);
  }
  for (const name in arg) {
    if (!SET_OPTION_NAMES.includes(name)) {
      return argumentError(`unknown option ${JSON.stringify(name)}; set options are ttl, tags and staleTtl`);
    }
  }
  if (arg.ttl !== undefined) {
    const error = ttlError("ttl", arg.ttl);
    if (error) return error;
  }
  if (arg.staleTtl !== undefined) {
    const error = ttlError("staleTtl", arg.staleTtl);
    if (error) return error;
  }
  if (arg.tags !== undefined) {
    if (!Array.isArray(arg.tags))
      return argumentError(`tags must be an array of strings, got ${describeValue(arg.tags)}`);
    for (const tag of arg.tags) {
      if (typeof tag !== "string")
        return argumentError(`every tag must be a string, got ${describeValue(tag)}`);
    }
  }
  return undefined;
}

/** Returns an error when `key` is not a string, else undefined. */
export function keyError(key: unknown): CacheError | undefined {
  return typeof key === "string"
    ? undefined
    : argumentError(`a key must be a string, got ${describeValue(key)}`);
}

/** Returns an error when `value` is undefined (it would read back as a miss), else undefined. */
export function valueError(value: unknown): CacheError | undefined {
  if (value !== undefined) return undefined;
  return argumentError("undefined cannot be cached (a get would read it as a miss); cache null instead");
}

/** Returns an error when `fetchFn` is not a function, else undefined. */
export function fetchFnError(fetchFn: unknown): CacheError | undefined {
  if (typeof fetchFn === "function") return undefined;
  return argumentError(`getOrSet needs a fetchFn function, got ${describeValue(fetchFn)}`);
}

/** Returns an error when `tags` is not an array of strings, else undefined. */
export function tagsError(tags: unknown): CacheError | undefined {
  if (Array.isArray(tags) && tags.every((tag) => typeof tag === "string")) return undefined;
  return argumentError(`tags must be an array of strings, got ${describeValue(tags)}`);
}

/** The entry a write stores: lifetimes from a validated TTL argument (seconds) and `now` (epoch ms). */
export function entryFor(value: unknown, arg: TtlArgument, defaultTtl: number, now: number): CacheEntry {
  let ttl = defaultTtl;
  let staleTtl = 0;
  let tags: readonly string[] | undefined;
  if (typeof arg === "number") ttl = arg;
  else if (arg !== undefined) {
    ttl = arg.ttl ?? ttl;
    staleTtl = arg.staleTtl ?? 0;
    tags = arg.tags;
  }
  const expiresAt = now + ttl * 1000;
  const staleUntil = expiresAt + staleTtl * 1000;
  // Tags are copied: the caller may reuse its array.
  return tags === undefined || tags.length === 0
    ? { value, expiresAt, staleUntil }
    : { value, expiresAt, staleUntil, tags: [...tags] };
}
