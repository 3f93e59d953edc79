/**
 * One rate-limit decision on a hot key, awaited. Baseline: express-rate-limit's MemoryStore
 * `increment` (what its middleware does per request). In memory: @keel/rate-limiter's
 * `limiter.check` for each algorithm (issue #4: at or under the baseline). On Redis (skipped when
 * Redis is down): one decision per call for Keel, rate-limit-redis and rate-limiter-flexible, next
 * to a bare ioredis PING, the floor of any round trip. Limits are high enough that nothing is ever
 * refused; Redis keys live under a unique prefix and are deleted after the last round.
 */
import { createRateLimiter, type RateLimitAlgorithm, redisStore } from "@keel/rate-limiter";
import { MemoryStore, type Options } from "express-rate-limit";
import { Redis } from "ioredis";
import { type RedisReply, RedisStore } from "rate-limit-redis";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { REDIS_URL, uniquePrefix } from "../../tooling/services.js";
import type { MicroCase, MicroSuite } from "../src/micro/suite.js";

const HOT_KEY = "127.0.0.1";
const WINDOW_MS = 60_000;
/** Never reached in a run, so every decision is an admission. */
const LIMIT = 2_000_000_000;

function keelMemory(algorithm: RateLimitAlgorithm): MicroCase {
  return {
    name: `@keel/rate-limiter check (memory, ${algorithm})`,
    setup: () => {
      const limiter = createRateLimiter({ algorithm, limit: LIMIT, window: WINDOW_MS / 1000 });
      return () => limiter.check(HOT_KEY);
    },
  };
}

/** A fresh ioredis client and prefix, and a teardown deleting every key under the prefix. */
async function redisFixture(label: string) {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const prefix = uniquePrefix(label);
  const teardown = async () => {
    let cursor = "0";
    do {
      const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length > 0) await client.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
    client.disconnect();
  };
  return { client, prefix, teardown };
}

export const suite: MicroSuite = {
  name: "rate-limit-check",
  group: "rate-limiter",
  title: "one decision (count and compare) on a hot key, awaited",
  baseline: "express-rate-limit MemoryStore increment",
  cases: [
    {
      name: "express-rate-limit MemoryStore increment",
      setup: () => {
        const store = new MemoryStore();
        store.init({ windowMs: WINDOW_MS } as Options);
        return () => store.increment(HOT_KEY);
      },
    },
    {
      name: "rate-limiter-flexible RateLimiterMemory consume",
      setup: () => {
        // Points high enough that no measurement ever gets rejected (a rejection is a thrown error).
        const limiter = new RateLimiterMemory({ points: LIMIT, duration: WINDOW_MS / 1000 });
        return () => limiter.consume(HOT_KEY);
      },
    },
    keelMemory("fixed-window"),
    keelMemory("sliding-window"),
    keelMemory("token-bucket"),
    keelMemory("gcra"),
    {
      name: "ioredis PING (one round trip, the floor)",
      requires: ["redis"],
      setup: async () => {
        const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
        await client.ping();
        return { body: () => client.ping(), teardown: () => client.disconnect() };
      },
    },
    {
      name: "@keel/rate-limiter check (redis, fixed-window)",
      requires: ["redis"],
      setup: async () => {
        const { client, prefix, teardown } = await redisFixture("bench-rl-keel");
        const limiter = createRateLimiter({
          store: redisStore({ client, prefix }),
          limit: LIMIT,
          window: WINDOW_MS / 1000,
          onStoreError: "deny",
        });
        const first = await limiter.check(HOT_KEY);
        if (!first.allowed)
          throw new Error("the Redis limiter refused its first request: is Redis answering?");
        return {
          body: () => limiter.check(HOT_KEY),
          teardown: async () => {
            await limiter.close();
            await teardown();
          },
        };
      },
    },
    {
      name: "rate-limit-redis increment",
      requires: ["redis"],
      setup: async () => {
        const { client, prefix, teardown } = await redisFixture("bench-rl-rlr");
        const store = new RedisStore({
          sendCommand: (command: string, ...args: string[]) =>
            client.call(command, ...args) as Promise<RedisReply>,
          prefix,
        });
        store.init({ windowMs: WINDOW_MS } as Options);
        await store.increment(HOT_KEY);
        return { body: () => store.increment(HOT_KEY), teardown };
      },
    },
    {
      name: "rate-limiter-flexible RateLimiterRedis consume",
      requires: ["redis"],
      setup: async () => {
        const { client, prefix, teardown } = await redisFixture("bench-rl-rlf");
        const limiter = new RateLimiterRedis({
          storeClient: client,
          keyPrefix: prefix,
          points: LIMIT,
          duration: WINDOW_MS / 1000,
        });
        await limiter.consume(HOT_KEY);
        return { body: () => limiter.consume(HOT_KEY), teardown };
      },
    },
  ],
};
