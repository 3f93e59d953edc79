import { nodeRequestView, observeNodeResponse, sendNodeReply, setNodeHeaders } from "@keel/http";
import type { NextFunction, Request, Response } from "express";
import { createMiddlewareCore, type Verdict } from "../middleware/core.js";
import type { RateLimitMiddlewareOptions } from "../middleware/options.js";
import type { RateLimiter } from "../rate-limiter.js";
import type { RateLimitResult } from "../result.js";

declare global {
  namespace Express {
    interface Request {
      /** The rate limiter's decision for this request, set by `rateLimitMiddleware`. */
      rateLimit?: RateLimitResult;
    }
  }
}

/**
 * Answers a refused request in Express; headers (with `Retry-After`) are already set.
 *
 * @example
 * ```ts
 * const handler: ExpressRateLimitHandler = (req, res, next, result) => {
 *   res.status(429).render("slow-down", { seconds: result.retryAfter });
 * };
 * ```
 */
export type ExpressRateLimitHandler = (
  req: Request,
  res: Response,
  next: NextFunction,
  result: RateLimitResult,
) => void;

/**
 * Options of the Express {@link rateLimitMiddleware}; callbacks receive Express's `req`.
 *
 * @example
 * ```ts
 * const options: ExpressRateLimitOptions = { limit: 100, window: 60, keyGenerator: (req) => req.get("x-api-key") ?? "anonymous" };
 * ```
 */
export type ExpressRateLimitOptions = RateLimitMiddlewareOptions<Request, ExpressRateLimitHandler>;

/**
 * The Express middleware, with the limiter it uses (close it on shutdown when the middleware created it).
 *
 * @example
 * ```ts
 * const limit = rateLimitMiddleware({ limit: 100, window: 60 });
 * process.on("SIGTERM", () => limit.limiter.close());
 * ```
 */
export interface ExpressRateLimitMiddleware {
  (req: Request, res: Response, next: NextFunction): Promise<void>;
  /** The limiter deciding for this middleware. */
  readonly limiter: RateLimiter;
}

/**
 * Rate limits Express routes (4 and 5). Mount it after authentication so signed-in users are keyed
 * by their id (`req.user.id`); the decision is on `req.rateLimit`.
 *
 * @example
 * ```ts
 * import express from "express";
 * import { rateLimitMiddleware } from "@keel/rate-limiter/express";
 *
 * const app = express();
 * app.use("/api/education", authenticate, rateLimitMiddleware({ limit: 100, window: 60 }));
 * ```
 */
export function rateLimitMiddleware(options: ExpressRateLimitOptions): ExpressRateLimitMiddleware {
  const core = createMiddlewareCore<Request>(options);
  const { handler } = options;
  async function middleware(req: Request, res: Response, next: NextFunction): Promise<void> {
    let verdict: Verdict | undefined;
    try {
      verdict = await core.decide(req, nodeRequestView(req), req);
    } catch (error) {
      next(error);
      return;
    }
    if (verdict === undefined) return next();
    req.rateLimit = verdict.result;
    setNodeHeaders(res, verdict.headers);
    if (verdict.result.allowed) {
      const admitted = verdict;
      if (admitted.observe)
        observeNodeResponse(res, (info) => admitted.settle(info.statusCode, info.aborted));
      return next();
    }
    if (handler !== undefined) return handler(req, res, next, verdict.result);
    sendNodeReply(res, verdict.status, { "Content-Type": "application/json; charset=utf-8" }, verdict.body);
  }
  return Object.assign(middleware, { limiter: core.limiter });
}
