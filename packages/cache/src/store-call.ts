import type { CallDeadlines } from "@keel/http";
import { CacheError } from "./errors.js";
import type { CacheOperation } from "./events.js";

/**
 * Runs one store call under a timeout and turns any failure into a {@link CacheError}: the store's
 * error becomes the `cause` of an `ERR_KEEL_CACHE_STORE`, a late answer an `ERR_KEEL_CACHE_STORE_TIMEOUT`.
 * A call that times out keeps running; its eventual result or rejection is ignored (never unhandled).
 * `deadlines` (one timer for all of a cache's store calls) undefined runs the call without a timeout
 * (in-process stores).
 */
export function callStore<T>(
  storeName: string,
  operation: CacheOperation,
  key: string | undefined,
  deadlines: CallDeadlines | undefined,
  run: () => Promise<T>,
): Promise<T> {
  const fail = (cause: unknown): CacheError => storeError(storeName, operation, key, cause);
  let pending: Promise<T>;
  try {
    pending = run();
  } catch (cause) {
    return Promise.reject(fail(cause));
  }
  if (deadlines === undefined) return pending.catch((cause: unknown) => Promise.reject(fail(cause)));
  return deadlines.race(
    pending,
    () =>
      new CacheError(
        "ERR_KEEL_CACHE_STORE_TIMEOUT",
        `the ${storeName} store did not answer ${operation}${forKey(key)} within ${deadlines.timeoutMs} ms; ` +
          "check the store's health, or raise the cache's storeTimeout option",
      ),
    fail,
  );
}

function forKey(key: string | undefined): string {
  return key === undefined ? "" : ` for key ${JSON.stringify(key)}`;
}

/** Wraps a store failure; a CacheError the store threw itself (e.g. a serializer error) is kept as is. */
export function storeError(
  storeName: string,
  operation: CacheOperation,
  key: string | undefined,
  cause: unknown,
): CacheError {
  if (cause instanceof CacheError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new CacheError(
    "ERR_KEEL_CACHE_STORE",
    `the ${storeName} store failed ${operation}${forKey(key)}: ${reason}`,
    { cause },
  );
}
