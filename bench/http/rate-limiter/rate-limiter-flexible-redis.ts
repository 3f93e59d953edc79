/**
 * rate-limiter-flexible's RateLimiterRedis as Express middleware, the way its README wires it
 * (consume one point per request keyed by IP, 429 on rejection), on the shared Redis with ioredis
 * (a unique prefix, deleted at the end); one hot key, never refused. Counts the commands its client
 * sends.
 */
import { createServer } from "node:http";
import type { RequestHandler } from "express";
import { RateLimiterRedis } from "rate-limiter-flexible";
import { expressApp } from "../../src/http/express-app.js";
import { countingRedis } from "../../src/http/redis-client.js";
import { type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "rate-limiter-flexible (redis)",
  group: "rate-limiter",
  framework: "express",
  baseline: "express",
  requires: ["redis"],
  start: async (port) => {
    const redis = await countingRedis("rl-rlf");
    const limiter = new RateLimiterRedis({
      storeClient: redis.client,
      keyPrefix: redis.prefix,
      points: 1_000_000_000,
      duration: 60,
    });
    const middleware: RequestHandler = (req, res, next) => {
      limiter
        .consume(req.ip ?? "unknown")
        .then(() => next())
        .catch(() => {
          res.status(429).send("Too Many Requests");
        });
    };
    const running = await listen(createServer(expressApp(middleware)), port, () => redis.close());
    return { ...running, counters: () => ({ redisCommands: redis.sent() }) };
  },
};
