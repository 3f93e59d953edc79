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
 * Settles with the store's answer, or rejects with `ERR_KEEL_RATE_LIMIT_STORE_TIMEOUT` after
 * `timeoutMs`, whichever comes first. One unref'd timer per call, cleared as soon as the store
 * answers, so it never keeps a process alive; a late answer (or late failure) is ignored.
 */
export function withTimeout<T>(
  store: RateLimitStore,
  operation: StoreErrorEvent["operation"],
  call: () => Promise<T>,
  timeoutMs: number,
): Promise<T> {
  let pending: Promise<T>;
  try {
    pending = call();
  } catch (error) {
    return Promise.reject(storeError(store, operation, error));
  }
  if (timeoutMs === Number.POSITIVE_INFINITY) {
    return pending.catch((error: unknown) => Promise.reject(storeError(store, operation, error)));
  }
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new RateLimiterError(
          "ERR_KEEL_RATE_LIMIT_STORE_TIMEOUT",
          `the ${store.name} store did not answer ${operation} within ${timeoutMs} ms (storeTimeout); check its connection, or raise storeTimeout`,
        ),
      );
    }, timeoutMs);
    timer.unref?.();
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(storeError(store, operation, error));
      },
    );
  });
}
