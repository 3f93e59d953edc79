/**
 * express-rate-limit with rate-limit-redis's store, wired to ioredis the way its README shows, on
 * the shared Redis (a unique prefix, deleted at the end); one hot key, never refused. Counts the
 * commands its client sends.
 */
import { createServer } from "node:http";
import { rateLimit } from "express-rate-limit";
import { type RedisReply, RedisStore } from "rate-limit-redis";
import { expressApp } from "../../src/http/express-app.js";
import { countingRedis } from "../../src/http/redis-client.js";
import { type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "rate-limit-redis",
  group: "rate-limiter",
  framework: "express",
  baseline: "express",
  requires: ["redis"],
  start: async (port) => {
    const redis = await countingRedis("rl-rlr");
    const limiter = rateLimit({
      windowMs: 60_000,
      limit: 1_000_000_000,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      store: new RedisStore({
        sendCommand: (command: string, ...args: string[]) =>
          redis.client.call(command, ...args) as Promise<RedisReply>,
        prefix: redis.prefix,
      }),
    });
    const running = await listen(createServer(expressApp(limiter)), port, () => redis.close());
    return { ...running, counters: () => ({ redisCommands: redis.sent() }) };
  },
};
