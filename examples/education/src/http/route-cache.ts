import type { Cache } from "@keel/cache";
import { cacheMiddleware } from "@keel/cache/express";
import type { Request, RequestHandler } from "express";

/** How a catalog route is cached by {@link sharedCache}. */
export interface SharedCacheOptions {
  /** Seconds a stored response stays fresh (a tag invalidation removes it sooner). */
  ttl: number;
  /** Tags of the stored response, for `cache.invalidateTags` after a write. */
  tags: (req: Request) => string[];
  /**
   * The resource part of the key, built from parameters a validating middleware before it has
   * already checked: a flood of made-up query strings then cannot push real entries out.
   */
  key: (req: Request) => string;
}

// Authentication has run (the rate limiter keys on req.user); a catalog response is the same for
// everyone, so the credentials are dropped before the cache looks at the request. Without this,
// cacheMiddleware (rightly, by default) never answers a request carrying Authorization from a
// shared entry, and every signed-in learner would miss the catalog cache.
const forgetCredentials: RequestHandler = (req, _res, next) => {
  delete req.headers.authorization;
  next();
};

const passThrough: RequestHandler = (_req, _res, next) => next();

/**
 * The cache of a public catalog route: one entry shared by every user, stored only for a 200,
 * with `X-Cache`, `Cache-Status`, `Age`, a strong `ETag` and 304s from `@keel/cache/express`.
 * Mount it after authentication and the rate limiter, and only on routes whose response does not
 * depend on who asks. With no cache (`CACHE=off`) it adds nothing.
 *
 * @example
 * ```ts
 * router.get("/modules", validCatalogQuery, ...sharedCache(cache, { ttl: 3600, tags: () => ["modules:list"], key: listKey }), listModules);
 * ```
 */
export function sharedCache(cache: Cache | undefined, options: SharedCacheOptions): RequestHandler[] {
  if (cache === undefined) return [];
  return [
    forgetCredentials,
    cacheMiddleware({ cache, ttl: options.ttl, tags: options.tags, keyGenerator: options.key }),
  ];
}

/**
 * The cache of a per-user route: one entry per signed-in user (the key carries `req.user.id`),
 * anonymous requests never cached; mount it after `requireUser`. The handler must answer with
 * `Cache-Control: private` so no shared cache on the way stores it either.
 *
 * @example
 * ```ts
 * router.get("/progress", requireUser, privateCache(cache, 300, (req) => [`progress:${req.user!.id}`]), getProgress);
 * ```
 */
export function privateCache(
  cache: Cache | undefined,
  ttl: number,
  tags: (req: Request) => string[],
): RequestHandler {
  if (cache === undefined) return passThrough;
  return cacheMiddleware({ cache, ttl, private: true, tags });
}
