import { metricsHandler } from "@keel/perf-monitor";
import { middleware as perfMiddleware } from "@keel/perf-monitor/express";
import { rateLimitMiddleware } from "@keel/rate-limiter/express";
import express, { type Express } from "express";
import { authenticate } from "../auth/authenticate.js";
import type { ScryptCost } from "../auth/password.js";
import { authRouter } from "../auth/routes.js";
import { type Clock, systemClock } from "../clock.js";
import { educationRouter } from "../education/routes.js";
import { type ErrorLogger, errorHandler, notFoundHandler } from "../http/error-handler.js";
import type { Services } from "./services.js";

/** What {@link createApp} needs: the services, the token settings, a clock and a logger. */
export interface AppDependencies {
  readonly services: Services;
  /** HMAC key of access tokens and wallet challenges (32+ characters). */
  readonly tokenSecret: string;
  /** Access-token lifetime, in seconds. @default 900 */
  readonly accessTokenTtl?: number;
  /** Refresh-token lifetime, in seconds. @default 2592000 */
  readonly refreshTokenTtl?: number;
  /** Time source for tokens and challenges. @default the system clock */
  readonly clock?: Clock;
  /** scrypt cost of new password hashes (tests pass a cheap one). @default DEFAULT_SCRYPT_COST */
  readonly scryptCost?: ScryptCost;
  /** Cache the education routes' responses; false reads the database every time. @default true */
  readonly responseCache?: boolean;
  /** Where 5xx errors are reported. @default console.error */
  readonly log?: ErrorLogger;
}

/**
 * Builds the education API as an Express 5 app, without listening: tests drive it in process with
 * supertest, `startServer` serves it.
 *
 * @example
 * ```ts
 * const app = createApp({ services, tokenSecret: config.tokenSecret });
 * app.listen(3000);
 * ```
 */
export function createApp(deps: AppDependencies): Express {
  const { services, tokenSecret } = deps;
  const { db, cache } = services;
  const clock = deps.clock ?? systemClock;
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  // First: every request is timed, named by its route template, and gets X-Response-Time.
  app.use(perfMiddleware({ monitor: services.monitor }));
  app.use(express.json({ limit: "100kb" }));

  app.get("/health", (_req, res) => {
    res.json({ success: true, data: { status: "ok" } });
  });
  app.get("/metrics", metricsHandler({ source: services.monitor, prefix: "education" }));

  app.use(
    "/api/auth",
    // Against password guessing: failed attempts per address (a success refunds its unit).
    rateLimitMiddleware({
      limiter: services.authLimiter,
      skip: (req) => req.method === "GET",
      skipSuccessfulRequests: true,
    }),
    authenticate(db, tokenSecret, clock),
    authRouter({
      db,
      secret: tokenSecret,
      clock,
      accessTokenTtl: deps.accessTokenTtl ?? 900,
      refreshTokenTtl: deps.refreshTokenTtl ?? 30 * 86_400,
      scryptCost: deps.scryptCost,
    }),
  );
  // Authentication first, then the limiter: a signed-in user is limited as themself (user:<id>)
  // wherever they connect from; only anonymous requests are keyed by address. (The original
  // mounted its limiter before authentication, so every user behind one address shared a quota.)
  app.use(
    "/api/education",
    authenticate(db, tokenSecret, clock),
    rateLimitMiddleware({ limiter: services.limiter }),
    educationRouter(db, cache, { responseCache: deps.responseCache ?? true }),
  );

  app.use(notFoundHandler);
  app.use(
    errorHandler(
      deps.log ??
        ((message, error) => (error === undefined ? console.error(message) : console.error(message, error))),
    ),
  );
  return app;
}
