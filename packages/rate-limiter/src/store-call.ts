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
