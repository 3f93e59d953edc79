import type { Cache } from "@keel/cache";
import type { Request, RequestHandler } from "express";
import { unauthorized } from "./api-error.js";

/** How one GET route is cached by {@link cachedJson}. */
export interface CachedJsonOptions<Params> {
  /** Seconds a response stays cached (invalidation by tag removes it sooner). */
  ttl: number;
  /**
   * Reads and validates the request (throwing a 400 naming the field) into the parameters the
   * response depends on. The cache key is built from these, never from the raw URL: a flood of
   * made-up query strings cannot push real entries out of the cache.
   */
  params: (req: Request) => Params;
  /** The resource part of the key, from the validated parameters. */
  key: (params: Params) => string;
  /** Tags the entry carries, for `cache.invalidateTags` after a write. */
  tags: (params: Params, req: Request) => string[];
  /**
   * One entry per signed-in user: the key starts with the user id, anonymous requests are refused
   * with a 401 before the cache is touched, and the response says `Cache-Control: private, no-cache`.
   * @default false
   */
  private?: boolean;
  /** Produces the `data` of a 200. Throwing (a 404 ApiError, a database error) stores nothing. */
  load: (params: Params, req: Request) => Promise<NonNullable<unknown>>;
}

/**
 * A cached JSON GET route on the Cache API: `getOrSet` with tags, so concurrent misses run `load`
 * once, and only a successful load is stored; an error is never replayed, let alone as a 200.
 * Answers `{ success: true, data }` with `X-Cache: HIT` or `MISS`.
 *
 * (The example uses this rather than `cacheMiddleware` from `@keel/cache/express`, which was not
 * yet a public entry point of `@keel/cache` when it was written; see the README.)
 *
 * @example
 * ```ts
 * router.get("/modules/:slug", cachedJson(cache, {
 *   ttl: 3600,
 *   params: (req) => ({ slug: slug(req.params.slug, "params.slug") }),
 *   key: ({ slug }) => `module:${slug}`,
 *   tags: ({ slug }) => [`module:${slug}`],
 *   load: ({ slug }) => findModuleOr404(slug),
 * }));
 * ```
 */
export function cachedJson<Params>(cache: Cache, options: CachedJsonOptions<Params>): RequestHandler {
  return async (req, res) => {
    const params = options.params(req);
    let key = `education:${options.key(params)}`;
    if (options.private) {
      const userId = req.user?.id;
      if (userId === undefined)
        throw unauthorized("sign in first: send Authorization: Bearer <access token>");
      key = `user:${userId}:${key}`;
      res.setHeader("Cache-Control", "private, no-cache");
    }
    let loaded = false;
    const data = await cache.getOrSet(
      key,
      () => {
        loaded = true;
        return options.load(params, req);
      },
      { ttl: options.ttl, tags: options.tags(params, req) },
    );
    res.setHeader("X-Cache", loaded ? "MISS" : "HIT");
    res.json({ success: true, data });
  };
}
