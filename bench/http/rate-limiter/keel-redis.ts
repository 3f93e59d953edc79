/**
 * @keel/rate-limiter's Express middleware on its Redis store (the shared Redis, a unique prefix,
 * deleted at the end), fixed window, one hot key, never refused. Counts the commands its client
 * sends and the checks decided without Redis (timeouts answered by `onStoreError`), which would
 * make a request cheaper than a real decision. Issue #4's targets: at most 50 µs of server CPU per
 * request over bare Express, and one Redis round trip (one EVALSHA) per request.
 */
import { createServer } from "node:http";
import { redisStore } from "@keel/rate-limiter";
import { rateLimitMiddleware } from "@keel/rate-limiter/express";
import { expressApp } from "../../src/http/express-app.js";
import { countingRedis } from "../../src/http/redis-client.js";
import { type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "@keel/rate-limiter (redis)",
  group: "rate-limiter",
  framework: "express",
  baseline: "express",
  requires: ["redis"],
  start: async (port) => {
    const redis = await countingRedis("rl-keel");
    const limit = rateLimitMiddleware({
      limit: 1_000_000_000,
      window: 60,
      store: redisStore({ client: redis.client, prefix: redis.prefix }),
    });
    const running = await listen(createServer(expressApp(limit)), port, async () => {
      await limit.limiter.close();
      await redis.close();
    });
    return {
      ...running,
      counters: () => ({ redisCommands: redis.sent(), fallbacks: limit.limiter.stats().fallbacks }),
    };
  },
};
