import { metricsHandler } from "@keel/perf-monitor";
import { middleware as perfMiddleware } from "@keel/perf-monitor/express";
import express, { type Express } from "express";
import type { Clock } from "../clock.js";
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
  const { services } = deps;
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

  app.use(notFoundHandler);
  app.use(errorHandler(deps.log ?? ((message, error) => console.error(message, error))));
  return app;
}
