import { fetchReply, fetchRequestView, withHeaders } from "@keel/http";
import type { Context, MiddlewareHandler } from "hono";
import { createMiddlewareCore } from "../middleware/core.js";
import type { RateLimitMiddlewareOptions } from "../middleware/options.js";
import type { RateLimiter } from "../rate-limiter.js";
import type { RateLimitResult } from "../result.js";

/**
 * Answers a refused request in Hono; the rate-limit headers and `Retry-After` are added to the
 * response it returns.
 *
 * @example
 * ```ts
 * const handler: HonoRateLimitHandler = (c, result) => c.text(`retry in ${result.retryAfter} s`, 429);
 * ```
 */
export type HonoRateLimitHandler = (c: Context, result: RateLimitResult) => Response | Promise<Response>;

/**
 * Options of the Hono {@link rateLimitMiddleware}; callbacks receive the context `c`.
 *
 * @example
 * ```ts
 * const options: HonoRateLimitOptions = { limit: 100, window: 60, keyGenerator: (c) => c.req.header("x-api-key") ?? "anon" };
 * ```
 */
export type HonoRateLimitOptions = RateLimitMiddlewareOptions<Context, HonoRateLimitHandler> & {
  /**
   * The socket address of the client, which a Fetch `Request` does not carry.
   * @default `c.env.incoming.socket.remoteAddress` (@hono/node-server), else Bun's `c.env.requestIP(c.req.raw)`
   */
  readonly getRemoteAddress?: (c: Context) => string | undefined;
};

/**
 * The Hono middleware, with the limiter it uses.
 *
 * @example
 * ```ts
 * const limit = rateLimitMiddleware({ limit: 100, window: 60 });
 * app.use("/api/*", limit);
 * ```
 */
export type HonoRateLimitMiddleware = MiddlewareHandler & {
  /** The limiter deciding for this middleware. */
  readonly limiter: RateLimiter;
};

type RuntimeEnv = {
  incoming?: { socket?: { remoteAddress?: string } };
  requestIP?: (request: Request) => { address?: string } | null;
};

function runtimeAddress(c: Context): string | undefined {
  const env = c.env as RuntimeEnv | undefined;
  return env?.incoming?.socket?.remoteAddress ?? env?.requestIP?.(c.req.raw)?.address;
}

/**
 * Rate limits Hono on any runtime. A user set with `c.set("user", { id })` by authentication is
 * keyed by id; the decision is `c.get("rateLimit")`.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { rateLimitMiddleware } from "@keel/rate-limiter/hono";
 *
 * const app = new Hono();
 * app.use("/api/education/*", authenticate, rateLimitMiddleware({ limit: 100, window: 60 }));
 * ```
 */
export function rateLimitMiddleware(options: HonoRateLimitOptions): HonoRateLimitMiddleware {
  const { getRemoteAddress = runtimeAddress, ...rest } = options;
  const core = createMiddlewareCore<Context>(rest);
  const { handler } = options;
  const middleware: MiddlewareHandler = async (c, next) => {
    const verdict = await core.decide(c, fetchRequestView(c.req.raw, getRemoteAddress(c)), c.var);
    if (verdict === undefined) return next();
    c.set("rateLimit" as never, verdict.result as never);
    if (!verdict.result.allowed) {
      if (handler !== undefined) return withHeaders(await handler(c, verdict.result), verdict.headers);
      const headers = { ...verdict.headers, "Content-Type": "application/json; charset=utf-8" };
      return fetchReply(verdict.status, headers, verdict.body);
    }
    await next();
    c.res = withHeaders(c.res, verdict.headers);
    verdict.settle(c.res.status, false);
  };
  return Object.assign(middleware, { limiter: core.limiter });
}
