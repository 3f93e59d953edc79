import { nodeRequestView } from "@keel/http";
import type { Context, Middleware } from "koa";
import type { Cache } from "../cache-api.js";
import type { CacheMiddlewareOptions } from "../middleware/options.js";
import { ResponseCache } from "../middleware/response-cache.js";
import type { FinalResponse, HeaderPairs } from "../middleware/steps.js";
import { withCache } from "./cache-property.js";
import { asBuffer, readBody } from "./node-body.js";
import { editNodeRequest, nodeHeaders } from "./node-exchange.js";

/**
 * Options of the Koa {@link cacheMiddleware}; callbacks receive the context `ctx`.
 *
 * @example
 * ```ts
 * const options: KoaCacheOptions = { ttl: 300, private: true, userId: (ctx) => ctx.state.user?.id };
 * ```
 */
export type KoaCacheOptions = CacheMiddlewareOptions<Context>;

/**
 * The Koa middleware, with the cache it stores responses in.
 *
 * @example
 * ```ts
 * const cached = cacheMiddleware(3600);
 * router.get("/api/education/modules", cached, listModules);
 * ```
 */
export interface KoaCacheMiddleware extends Middleware {
  /** The cache in use (the shared default one unless `cache` was given). */
  readonly cache: Cache;
}

function setHeaders(ctx: Context, pairs: HeaderPairs): void {
  for (const [name, value] of pairs) ctx.set(name, value);
}

function applyFinal(ctx: Context, final: FinalResponse, replace: boolean): void {
  ctx.status = final.status;
  if (replace)
    for (const name of Object.keys(ctx.response.headers)) if (!(name in final.headers)) ctx.remove(name);
  for (const [name, value] of Object.entries(final.headers)) ctx.set(name, value as string | string[]);
  ctx.body = final.body === null ? null : asBuffer(final.body);
}

/**
 * Caches responses in Koa (2 and 3): string, Buffer, stream and JSON bodies alike (streams are
 * read up to `maxBodySize`; larger ones are sent on uncached). Use it after authentication for
 * `private` routes; `ctx.state.user` (`id` or `userId`) names the user.
 *
 * @param options - the TTL in seconds, or {@link CacheMiddlewareOptions}
 * @throws CacheError `ERR_KEEL_CACHE_OPTION` naming an invalid option
 * @example
 * ```ts
 * import Koa from "koa";
 * import Router from "@koa/router";
 * import { cacheMiddleware } from "@keel/cache/koa";
 *
 * const router = new Router();
 * router.get("/api/education/modules", cacheMiddleware(3600), async (ctx) => {
 *   ctx.body = { success: true, data: await listModules() };
 * });
 * new Koa().use(router.routes()).listen(3000);
 * ```
 */
export function cacheMiddleware(options: number | KoaCacheOptions): KoaCacheMiddleware {
  const core = new ResponseCache<Context>(options);
  const middleware: Middleware = async (ctx, next) => {
    const step = await core.begin({
      view: nodeRequestView(ctx.req),
      req: ctx,
      user: ctx.state,
      headerNames: Object.keys(ctx.req.headers),
    });
    if (step.kind === "pass") return next();
    if (step.kind === "reply") {
      ctx.status = step.status;
      setHeaders(ctx, step.headers);
      ctx.body = step.body === null ? null : asBuffer(step.body);
      return;
    }
    if (step.kind === "bypass") {
      setHeaders(ctx, step.headers);
      return next();
    }
    const { exchange } = step;
    editNodeRequest(ctx.req, exchange);
    const preset = Object.keys(ctx.response.headers);
    try {
      await next();
    } catch (error) {
      const stale = exchange.fail(error);
      if (stale === undefined) throw error;
      ctx.app.emit("error", error, ctx);
      applyFinal(ctx, stale, false);
      return;
    }
    const read = await readBody(ctx.body, exchange.maxBodySize, true);
    if (read.kind !== "bytes") {
      setHeaders(
        ctx,
        exchange.passThrough(read.kind === "too-large" ? "too-large" : "streaming", ctx.status),
      );
      if (read.kind === "too-large") ctx.body = read.stream;
      return;
    }
    const headers = nodeHeaders(ctx.response.headers);
    const bodyWasSet = ctx.body !== null && ctx.body !== undefined;
    const final = await exchange.settle({ status: ctx.status, headers, body: read.body, preset });
    // An unset body keeps Koa's own default (its status message); anything else is sent as read.
    if (bodyWasSet || final.body !== read.body) applyFinal(ctx, final, true);
    else {
      for (const [name, value] of Object.entries(final.headers)) ctx.set(name, value as string | string[]);
    }
  };
  return withCache(middleware, core as ResponseCache<never>) as KoaCacheMiddleware;
}

export * from "./common-exports.js";
