import type { IncomingMessage, ServerResponse } from "node:http";
import type { Cache } from "../cache-api.js";
import type { CacheMiddlewareOptions } from "../middleware/options.js";
import { ResponseCache } from "../middleware/response-cache.js";
import { withCache } from "./cache-property.js";
import { runNodeCache } from "./node-exchange.js";

/**
 * Options of the node:http {@link cacheMiddleware}; callbacks receive the `IncomingMessage`.
 *
 * @example
 * ```ts
 * const options: NodeCacheOptions = { mode: "http", maxBodySize: 4 * 1024 * 1024 };
 * ```
 */
export type NodeCacheOptions = CacheMiddlewareOptions<IncomingMessage>;

/**
 * The node:http middleware: resolves to `true` when the handler must run (and calls `next`, when
 * given, connect-style), `false` when the cache answered. Errors go to `next` when given, else
 * reject.
 *
 * @example
 * ```ts
 * if (await cache(req, res)) handler(req, res); // a miss: the response is held back for the cache
 * ```
 */
export interface NodeCacheMiddleware {
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<boolean>;
  /** The cache in use (the shared default one unless `cache` was given). */
  readonly cache: Cache;
}

/**
 * Caches responses of a plain node:http server, or of any connect-style stack. With
 * `{ mode: "http" }` in front of a proxying handler it is a shared reverse-proxy cache by RFC 9111:
 * freshness from the origin's `Cache-Control`/`Expires`, `Vary`, revalidation with the origin's
 * validators, stale-while-revalidate and stale-if-error, `Age`.
 *
 * @param options - the TTL in seconds, or {@link CacheMiddlewareOptions}
 * @throws CacheError `ERR_KEEL_CACHE_OPTION` naming an invalid option
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { cacheMiddleware } from "@keel/cache/node";
 *
 * const cache = cacheMiddleware({ mode: "http" });
 * createServer(async (req, res) => {
 *   if (await cache(req, res)) proxy(req, res); // e.g. http.request to the origin, piped into res
 * }).listen(8080);
 * ```
 */
export function cacheMiddleware(options: number | NodeCacheOptions): NodeCacheMiddleware {
  const core = new ResponseCache<IncomingMessage>(options);
  async function middleware(
    req: IncomingMessage,
    res: ServerResponse,
    next?: (error?: unknown) => void,
  ): Promise<boolean> {
    let proceed: boolean;
    try {
      proceed = await runNodeCache(core, req, res, req);
    } catch (error) {
      if (next === undefined) throw error;
      next(error);
      return false;
    }
    if (proceed) next?.();
    return proceed;
  }
  return withCache(middleware, core as ResponseCache<never>);
}

export * from "./common-exports.js";
