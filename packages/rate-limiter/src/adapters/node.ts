import type { IncomingMessage, ServerResponse } from "node:http";
import { nodeRequestView, observeNodeResponse, sendNodeReply } from "@keel/http";
import { createMiddlewareCore, setVerdictHeaders } from "../middleware/core.js";
import type { RateLimitMiddlewareOptions } from "../middleware/options.js";
import type { RateLimiter } from "../rate-limiter.js";
import type { RateLimitResult } from "../result.js";

/**
 * Answers a refused request on node:http; headers (with `Retry-After`) are already set.
 *
 * @example
 * ```ts
 * const handler: NodeRateLimitHandler = (req, res, result) => {
 *   res.writeHead(429, { "content-type": "text/plain" }).end(`retry in ${result.retryAfter} s`);
 * };
 * ```
 */
export type NodeRateLimitHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  result: RateLimitResult,
) => void;

/**
 * Options of the node:http {@link rateLimitMiddleware}; callbacks receive the `IncomingMessage`.
 *
 * @example
 * ```ts
 * const options: NodeRateLimitOptions = { limit: 10, window: 1, skip: (req) => req.url === "/health" };
 * ```
 */
export type NodeRateLimitOptions = RateLimitMiddlewareOptions<IncomingMessage, NodeRateLimitHandler>;

/**
 * The node:http middleware: resolves to `true` when the request may proceed (and calls `next`,
 * when given, connect-style), `false` when it was answered with a refusal. Errors go to `next`
 * when given, else reject.
 *
 * @example
 * ```ts
 * if (!(await limit(req, res))) return; // refused and answered
 * ```
 */
export interface NodeRateLimitMiddleware {
  (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<boolean>;
  /** The limiter deciding for this middleware. */
  readonly limiter: RateLimiter;
}

/**
 * Rate limits a plain node:http server (or any connect-style stack). A signed-in user set on
 * `req.user` (`id` or `userId`) is keyed by id; the decision is on `req.rateLimit`.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { rateLimitMiddleware } from "@keel/rate-limiter/node";
 *
 * const limit = rateLimitMiddleware({ limit: 100, window: 60 });
 * createServer(async (req, res) => {
 *   if (!(await limit(req, res))) return;
 *   res.end("ok");
 * }).listen(3000);
 * ```
 */
export function rateLimitMiddleware(options: NodeRateLimitOptions): NodeRateLimitMiddleware {
  const core = createMiddlewareCore<IncomingMessage>(options);
  const { handler } = options;
  async function middleware(
    req: IncomingMessage,
    res: ServerResponse,
    next?: (error?: unknown) => void,
  ): Promise<boolean> {
    try {
      const verdict = await core.decide(req, nodeRequestView(req), req);
      if (verdict !== undefined) {
        (req as IncomingMessage & { rateLimit?: RateLimitResult }).rateLimit = verdict.result;
        setVerdictHeaders(res, verdict.headers);
        if (!verdict.result.allowed) {
          if (handler !== undefined) handler(req, res, verdict.result);
          else
            sendNodeReply(
              res,
              verdict.status,
              { "Content-Type": "application/json; charset=utf-8" },
              verdict.body,
            );
          return false;
        }
        if (verdict.observe)
          observeNodeResponse(res, (info) => verdict.settle(info.statusCode, info.aborted));
      }
    } catch (error) {
      if (next === undefined) throw error;
      next(error);
      return false;
    }
    next?.();
    return true;
  }
  return Object.assign(middleware, { limiter: core.limiter });
}
