import type { CallDeadlines } from "@keel/http";
import { RateLimiterError } from "./errors.js";
import type { StoreErrorEvent } from "./events.js";
import type { RateLimitStore } from "./types.js";

/**
 * Turns whatever a store threw into a {@link RateLimiterError}: the store's own coded errors keep
 * their code, anything else becomes `ERR_KEEL_RATE_LIMIT_STORE` with the original as `cause`.
 */
export function storeError(
  store: RateLimitStore,
  operation: StoreErrorEvent["operation"],
  error: unknown,
): RateLimiterError {
  if (error instanceof RateLimiterError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new RateLimiterError(
    "ERR_KEEL_RATE_LIMIT_STORE",
    `the ${store.name} store failed on ${operation}: ${detail}; the limiter applied onStoreError (or the insurance store)`,
    { cause: error },
  );
}

/**
 * Runs one store call under the limiter's timeout (`deadlines`: one timer for all of its calls). It
 * settles with the store's answer, or rejects with `ERR_KEEL_RATE_LIMIT_STORE_TIMEOUT` at the deadline,
 * whichever comes first; whatever the store throws or rejects with becomes a {@link RateLimiterError}.
 * A late answer (or late failure) is ignored.
 */
export function callStore<T>(
  deadlines: CallDeadlines,
  store: RateLimitStore,
  operation: StoreErrorEvent["operation"],
  call: () => Promise<T>,
): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (error) {
    return Promise.reject(storeError(store, operation, error));
  }
  return deadlines.race(
    pending,
    () => timeoutError(store, operation, deadlines.timeoutMs),
    (error) => storeError(store, operation, error),
  );
}

function timeoutError(
  store: RateLimitStore,
  operation: StoreErrorEvent["operation"],
  timeoutMs: number,
): RateLimiterError {
  return new RateLimiterError(
    "ERR_KEEL_RATE_LIMIT_STORE_TIMEOUT",
    `the ${store.name} store did not answer ${operation} within ${timeoutMs} ms (storeTimeout); check its connection, or raise storeTimeout`,
  );
}
