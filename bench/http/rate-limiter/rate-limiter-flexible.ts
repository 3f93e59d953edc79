/**
 * rate-limiter-flexible's RateLimiterMemory as Express middleware, the way its README wires it:
 * consume one point per request keyed by IP, 429 on rejection. One hot key, never rejected.
 */
import { createServer } from "node:http";
import type { RequestHandler } from "express";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { expressApp } from "../../src/http/express-app.js";
import { type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "rate-limiter-flexible (memory)",
  group: "rate-limiter",
  framework: "express",
  baseline: "express",
  start: (port) => {
    const limiter = new RateLimiterMemory({ points: 1_000_000_000, duration: 60 });
    const middleware: RequestHandler = (req, res, next) => {
      limiter
        .consume(req.ip ?? "unknown")
        .then(() => next())
        .catch(() => {
          res.status(429).send("Too Many Requests");
        });
    };
    return listen(createServer(expressApp(middleware)), port);
  },
};
