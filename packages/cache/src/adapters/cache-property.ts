import type { Cache } from "../cache-api.js";
import type { ResponseCache } from "../middleware/response-cache.js";

/** Adds the lazy `cache` property to a middleware function (reading it creates the default cache). */
export function withCache<T extends object>(
  middleware: T,
  core: ResponseCache<never>,
): T & { readonly cache: Cache } {
  return Object.defineProperty(middleware, "cache", { get: () => core.cache, enumerable: true }) as T & {
    readonly cache: Cache;
  };
}
