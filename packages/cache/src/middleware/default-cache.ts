import { createCache } from "../cache.js";
import type { Cache } from "../cache-api.js";
import { CacheError, describeValue } from "../errors.js";
import { keyPattern } from "./cache-key.js";

// On globalThis, not in a module variable: the CommonJS builds of the five adapter entries each
// carry their own copy of this module, and they must still share one cache.
const SLOT = Symbol.for("keel.cache.http.defaultCache");
type Slot = { [SLOT]?: Cache };

/**
 * The cache `cacheMiddleware` uses when given no `cache`: one `createCache()` (an in-process
 * store of up to 10,000 entries) per process, shared by every middleware and adapter, created on
 * first use. Close it only when the process is done serving.
 *
 * @example
 * ```ts
 * import { defaultCache } from "@keel/cache/express";
 *
 * const { hits, misses } = await defaultCache().getStats();
 * ```
 */
export function defaultCache(): Cache {
  const slot = globalThis as Slot;
  let cache = slot[SLOT];
  if (cache === undefined) {
    cache = createCache();
    slot[SLOT] = cache;
  }
  return cache;
}

/**
 * Options of {@link invalidateCache} and {@link invalidateCacheTags}.
 *
 * @example
 * ```ts
 * const options: InvalidateOptions = { cache: createCache({ store: redisStore({ client }) }) };
 * ```
 */
export interface InvalidateOptions {
  /** The cache the responses are in. @default the shared default cache ({@link defaultCache}) */
  readonly cache?: Cache;
}

function targetCache(options: InvalidateOptions | undefined, caller: string): Cache {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new CacheError(
      "ERR_KEEL_CACHE_ARGUMENT",
      `${caller}: options must be an object, got ${describeValue(options)}`,
    );
  }
  return options?.cache ?? defaultCache();
}

/**
 * Removes stored responses whose path (or `keyGenerator` key) matches the glob `pattern` (`*` any
 * run, `?` one character, `\` escapes), with every query string, user and variant of it. Resolves
 * to how many entries were removed.
 *
 * @throws CacheError `ERR_KEEL_CACHE_ARGUMENT` when `pattern` is not a string (as a rejection)
 * @example
 * ```ts
 * import { invalidateCache } from "@keel/cache/express";
 *
 * app.put("/api/education/modules/:slug", async (req, res) => {
 *   await updateModule(req.params.slug, req.body);
 *   await invalidateCache("/api/education/modules*"); // the list and every module
 *   res.json({ success: true });
 * });
 * ```
 */
export async function invalidateCache(pattern: string, options?: InvalidateOptions): Promise<number> {
  if (typeof pattern !== "string") {
    throw new CacheError(
      "ERR_KEEL_CACHE_ARGUMENT",
      `invalidateCache: pattern must be a glob string such as "/modules*", got ${describeValue(pattern)}`,
    );
  }
  return targetCache(options, "invalidateCache").invalidate(keyPattern(pattern));
}

/**
 * Removes stored responses carrying any of `tags` (given with the middleware's `tags` option).
 * Resolves to how many entries were removed.
 *
 * @example
 * ```ts
 * app.get("/api/education/modules", cacheMiddleware({ ttl: 3600, tags: ["modules"] }), listModules);
 * await invalidateCacheTags(["modules"]);
 * ```
 */
export function invalidateCacheTags(tags: readonly string[], options?: InvalidateOptions): Promise<number> {
  return targetCache(options, "invalidateCacheTags").invalidateTags(tags);
}
