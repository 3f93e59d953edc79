import { nodeRequestView, observeNodeResponse } from "@keel/http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { createMiddlewareCore } from "../middleware/core.js";
import type { RateLimitMiddlewareOptions } from "../middleware/options.js";
import type { RateLimiter } from "../rate-limiter.js";
import type { RateLimitResult } from "../result.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The rate limiter's decision for this request, set by the rate-limit plugin. */
    rateLimit?: RateLimitResult;
  }
}

/**
 * Answers a refused request in Fastify; headers (with `Retry-After`) are already on the reply.
 * Send the reply (and return it) from here.
 *
 * @example
 * ```ts
 * const handler: FastifyRateLimitHandler = (request, reply, result) =>
 *   reply.code(429).send({ error: "slow down", seconds: result.retryAfter });
 * ```
 */
export type FastifyRateLimitHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  result: RateLimitResult,
) => unknown;

/**
 * Options of the Fastify plugin; callbacks receive Fastify's `request`.
 *
 * @example
 * ```ts
 * const options: FastifyRateLimitOptions = { limit: 100, window: 60, skip: (request) => request.url === "/health" };
 * ```
 */
export type FastifyRateLimitOptions = RateLimitMiddlewareOptions<FastifyRequest, FastifyRateLimitHandler>;

/**
 * A Fastify plugin (not encapsulated: it limits every route of the instance it is registered on,
 * and of its children), with the limiter it uses.
 *
 * @example
 * ```ts
 * const plugin = rateLimitMiddleware({ limit: 100, window: 60 });
 * await app.register(plugin);
 * app.addHook("onClose", () => plugin.limiter.close());
 * ```
 */
export interface FastifyRateLimitPlugin {
  (fastify: FastifyInstance): Promise<void>;
  /** The limiter deciding for this plugin. */
  readonly limiter: RateLimiter;
}

/**
 * Rate limits Fastify (4 and 5) from an `onRequest` hook. Register it after authentication so a
 * user on `request.user` (`id` or `userId`) is keyed by id; the decision is on `request.rateLimit`.
 * Register it inside a prefixed plugin to limit only those routes.
 *
 * @example
 * ```ts
 * import Fastify from "fastify";
 * import { rateLimitMiddleware } from "@keel/rate-limiter/fastify";
 *
 * const app = Fastify();
 * await app.register(rateLimitMiddleware({ limit: 100, window: 60 }));
 * ```
 */
export function rateLimitMiddleware(options: FastifyRateLimitOptions): FastifyRateLimitPlugin {
  const core = createMiddlewareCore<FastifyRequest>(options);
  const { handler } = options;
  async function plugin(fastify: FastifyInstance): Promise<void> {
    if (!fastify.hasRequestDecorator("rateLimit")) fastify.decorateRequest("rateLimit", undefined);
    fastify.addHook("onRequest", async (request, reply) => {
      const verdict = await core.decide(request, nodeRequestView(request.raw), request);
      if (verdict === undefined) return;
      request.rateLimit = verdict.result;
      reply.headers(verdict.headers);
      if (!verdict.result.allowed) {
        if (handler !== undefined) return handler(request, reply, verdict.result);
        return reply.code(verdict.status).type("application/json; charset=utf-8").send(verdict.body);
      }
      if (verdict.observe)
        observeNodeResponse(reply.raw, (info) => verdict.settle(info.statusCode, info.aborted));
    });
  }
  // What fastify-plugin does: share the hook with the parent instead of encapsulating it.
  Object.assign(plugin, {
    [Symbol.for("skip-override")]: true,
    [Symbol.for("fastify.display-name")]: "@keel/rate-limiter",
  });
  return Object.assign(plugin, { limiter: core.limiter });
}

/**
 * The same plugin for `register(plugin, options)`: options are checked when it is registered.
 *
 * @example
 * ```ts
 * await app.register(rateLimitPlugin, { limit: 100, window: 60 });
 * ```
 */
export async function rateLimitPlugin(
  fastify: FastifyInstance,
  options: FastifyRateLimitOptions,
): Promise<void> {
  const plugin = rateLimitMiddleware(options);
  await plugin(fastify);
  // A limiter made from these options belongs to the app: close it with the app.
  if (options.limiter === undefined) fastify.addHook("onClose", () => plugin.limiter.close());
}
Object.assign(rateLimitPlugin, {
  [Symbol.for("skip-override")]: true,
  [Symbol.for("fastify.display-name")]: "@keel/rate-limiter",
});
