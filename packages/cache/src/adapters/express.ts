import type { Request, RequestHandler } from "express";
import type { Cache } from "../cache-api.js";
import type { CacheMiddlewareOptions } from "../middleware/options.js";
import { ResponseCache } from "../middleware/response-cache.js";
import { withCache } from "./cache-property.js";
import { runNodeCache } from "./node-exchange.js";

/**
 * Options of the Express {@link cacheMiddleware}; callbacks receive Express's `req`.
 *
 * @example
 * ```ts
 * const options: ExpressCacheOptions = { ttl: 300, private: true, tags: (req) => [`user:${req.user?.id}`] };
 * ```
 */
export type ExpressCacheOptions = CacheMiddlewareOptions<Request>;

/**
 * The Express middleware, with the cache it stores responses in.
 *
 * @example
 * ```ts
 * const cached = cacheMiddleware(3600);
 * app.get("/api/education/modules", cached, listModules);
 * await cached.cache.invalidateTags(["modules"]);
 * ```
 */
export interface ExpressCacheMiddleware extends RequestHandler {
  /** The cache in use (the shared default one unless `cache` was given). */
  readonly cache: Cache;
}

/**
 * Caches the responses of GET routes in Express (4 and 5): hits are answered from one store read
 * with `X-Cache`, `Cache-Status`, `Age` and a strong `ETag`, conditional requests get a 304, and
 * concurrent misses run the handler once. Responses with `Set-Cookie`, `Cache-Control: private` or
 * `no-store`, and errors are never stored; requests with `Authorization` or a session cookie are
 * never answered from a shared entry. Mounted with `app.use`, a successful POST, PUT, PATCH or
 * DELETE also drops its URL's stored GET.
 *
 * @param options - the TTL in seconds, or {@link CacheMiddlewareOptions}
 * @throws CacheError `ERR_KEEL_CACHE_OPTION` naming an invalid option
 * @example
 * ```ts
 * import express from "express";
 * import { cacheMiddleware, invalidateCache } from "@keel/cache/express";
 *
 * const app = express();
 * app.get("/api/education/modules", cacheMiddleware(3600), listModules);
 * app.get("/api/education/progress", authenticate, cacheMiddleware({ ttl: 300, private: true }), getProgress);
 * app.put("/api/education/modules/:slug", async (req, res) => {
 *   await saveModule(req.params.slug, req.body);
 *   await invalidateCache("/api/education/modules*");
 *   res.json({ success: true });
 * });
 * ```
 */
export function cacheMiddleware(options: number | ExpressCacheOptions): ExpressCacheMiddleware {
  const core = new ResponseCache<Request>(options);
  const middleware: RequestHandler = (req, res, next) => {
    runNodeCache(core, req, res, req).then((proceed) => {
      if (proceed) next();
    }, next);
  };
  return withCache(middleware, core as ResponseCache<never>);
}

export * from "./common-exports.js";
