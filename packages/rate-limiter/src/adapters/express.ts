import { nodeRequestView, observeNodeResponse, requestProperty, sendNodeReply } from "@keel/http";
import type { NextFunction, Request, Response } from "express";
import { createMiddlewareCore, setVerdictHeaders, type Verdict } from "../middleware/core.js";
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

// An accessor on Express's request prototype: adding a property to each Express request is dear.
const setRateLimit = requestProperty<RateLimitResult>("rateLimit");

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
  (req: Request, res: Response, next: NextFunction): void | Promise<void>;
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

  function apply(req: Request, res: Response, next: NextFunction, verdict: Verdict | undefined): void {
    if (verdict === undefined) {
      next();
      return;
    }
    setRateLimit(req, verdict.result);
    setVerdictHeaders(res, verdict.headers);
    if (verdict.result.allowed) {
      const admitted = verdict;
      if (admitted.observe)
        observeNodeResponse(res, (info) => admitted.settle(info.statusCode, info.aborted));
      next();
      return;
    }
    if (handler !== undefined) handler(req, res, next, verdict.result);
    else
      sendNodeReply(res, verdict.status, { "Content-Type": "application/json; charset=utf-8" }, verdict.body);
  }

  // Not async: with a memory store the decision is made in this tick, and the request goes on
  // without a promise or a microtask.
  function middleware(req: Request, res: Response, next: NextFunction): void | Promise<void> {
    let decided: ReturnType<typeof core.decide>;
    try {
      decided = core.decide(req, nodeRequestView(req), req);
    } catch (error) {
      return next(error);
    }
    if (!(decided instanceof Promise)) return apply(req, res, next, decided);
    return decided.then(
      (verdict) => apply(req, res, next, verdict),
      (error: unknown) => next(error),
    );
  }
  return Object.assign(middleware, { limiter: core.limiter });
}
