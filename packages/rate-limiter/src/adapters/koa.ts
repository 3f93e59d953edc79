import { nodeRequestView, observeNodeResponse } from "@keel/http";
import type { Context, Next } from "koa";
import { createMiddlewareCore } from "../middleware/core.js";
import type { RateLimitMiddlewareOptions } from "../middleware/options.js";
import type { RateLimiter } from "../rate-limiter.js";
import type { RateLimitResult } from "../result.js";

/**
 * Answers a refused request in Koa; headers (with `Retry-After`) are already set.
 *
 * @example
 * ```ts
 * const handler: KoaRateLimitHandler = (ctx, result) => {
 *   ctx.status = 429;
 *   ctx.body = { error: "slow down", seconds: result.retryAfter };
 * };
 * ```
 */
export type KoaRateLimitHandler = (ctx: Context, result: RateLimitResult) => void | Promise<void>;

/**
 * Options of the Koa {@link rateLimitMiddleware}; callbacks receive `ctx`.
 *
 * @example
 * ```ts
 * const options: KoaRateLimitOptions = { limit: 100, window: 60, keyGenerator: (ctx) => `tenant:${ctx.get("x-tenant")}` };
 * ```
 */
export type KoaRateLimitOptions = RateLimitMiddlewareOptions<Context, KoaRateLimitHandler>;

/**
 * The Koa middleware, with the limiter it uses.
 *
 * @example
 * ```ts
 * const limit = rateLimitMiddleware({ limit: 100, window: 60 });
 * app.use(limit);
 * await limit.limiter.close(); // on shutdown
 * ```
 */
export interface KoaRateLimitMiddleware {
  (ctx: Context, next: Next): Promise<void>;
  /** The limiter deciding for this middleware. */
  readonly limiter: RateLimiter;
}

/**
 * Rate limits Koa (2 and 3). Mount it after authentication: a user on `ctx.state.user` (`id` or
 * `userId`) is keyed by id. The decision is on `ctx.state.rateLimit`.
 *
 * @example
 * ```ts
 * import Koa from "koa";
 * import { rateLimitMiddleware } from "@keel/rate-limiter/koa";
 *
 * const app = new Koa();
 * app.use(authenticate);
 * app.use(rateLimitMiddleware({ limit: 100, window: 60 }));
 * ```
 */
export function rateLimitMiddleware(options: KoaRateLimitOptions): KoaRateLimitMiddleware {
  const core = createMiddlewareCore<Context>(options);
  const { handler } = options;
  async function middleware(ctx: Context, next: Next): Promise<void> {
    const verdict = await core.decide(ctx, nodeRequestView(ctx.req), ctx.state);
    if (verdict === undefined) return next();
    ctx.state.rateLimit = verdict.result;
    ctx.set(verdict.headers);
    if (!verdict.result.allowed) {
      if (handler !== undefined) return handler(ctx, verdict.result);
      ctx.status = verdict.status;
      ctx.type = "application/json; charset=utf-8";
      ctx.body = verdict.body;
      return;
    }
    if (verdict.observe)
      observeNodeResponse(ctx.res, (info) => verdict.settle(info.statusCode, info.aborted));
    return next();
  }
  return Object.assign(middleware, { limiter: core.limiter });
}
