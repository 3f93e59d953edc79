/**
 * Redis commands per rate-limit decision: 1,000 decisions on one hot key (after 10 unmeasured ones,
 * so script loading is not counted), seen on a private redis-server through MONITOR: the commands
 * clients sent (each a round trip) and those scripts ran inside Redis.
 * Issue #4: exactly one round trip (one EVALSHA) per request for @keel/rate-limiter, with any number
 * of policies.
 */
import {
  createRateLimiter,
  type RateLimitAlgorithm,
  type RateLimiterOptions,
  redisStore,
} from "@keel/rate-limiter";
import type { Options } from "express-rate-limit";
import { Redis } from "ioredis";
import { type RedisReply, RedisStore } from "rate-limit-redis";
import { RateLimiterRedis } from "rate-limiter-flexible";
import { createClient } from "redis";
import { describeCommands, totalCommands, withPrivateRedis } from "../src/measure/redis.js";
import type { MeasureCase, MeasureResult, MeasureSuite } from "../src/measure/suite.js";

const DECISIONS = 1_000;
const WARMUP = 10;
const HOT_KEY = "127.0.0.1";
const LIMIT = 1_000_000;

/** Counts the commands of DECISIONS calls of `decide` (all must admit), after WARMUP calls. */
function counted(
  setup: (url: string) => Promise<{ decide: () => Promise<boolean>; close: () => Promise<void> | void }>,
): () => Promise<MeasureResult> {
  return () =>
    withPrivateRedis(async ({ url, counted: count }) => {
      const { decide, close } = await setup(url);
      try {
        for (let i = 0; i < WARMUP; i++) await decide();
        let admitted = 0;
        const commands = await count(async () => {
          for (let i = 0; i < DECISIONS; i++) if (await decide()) admitted++;
        });
        if (admitted !== DECISIONS) throw new Error(`${admitted} of ${DECISIONS} decisions admitted`);
        return {
          values: {
            decisions: DECISIONS,
            roundTrips: totalCommands(commands.sent) / DECISIONS,
            evalsha: (commands.sent.evalsha ?? 0) / DECISIONS,
            inRedis: (totalCommands(commands.sent) + totalCommands(commands.inScripts)) / DECISIONS,
          },
          note: `sent: ${describeCommands(commands.sent, DECISIONS)}; in scripts: ${describeCommands(commands.inScripts, DECISIONS)}`,
        };
      } finally {
        await close();
      }
    });
}

function keel(
  label: string,
  options: Omit<RateLimiterOptions, "store">,
  client: "ioredis" | "node-redis" = "ioredis",
): MeasureCase {
  return {
    name: `@keel/rate-limiter, ${label}${client === "node-redis" ? " (node-redis)" : ""}`,
    requires: ["redis-server"],
    run: counted(async (url) => {
      const connection =
        client === "ioredis"
          ? new Redis(url, { maxRetriesPerRequest: 0 })
          : await createClient({ url }).connect();
      const limiter = createRateLimiter({ ...options, store: redisStore({ client: connection }) });
      return {
        decide: async () => (await limiter.check(HOT_KEY)).allowed,
        close: async () => {
          await limiter.close();
          if (connection instanceof Redis) connection.disconnect();
          else await connection.quit();
        },
      };
    }),
  };
}

const algorithm = (name: RateLimitAlgorithm) => keel(name, { algorithm: name, limit: LIMIT, window: 60 });

export const suite: MeasureSuite = {
  name: "rate-limit-commands",
  group: "rate-limiter",
  title: `Redis round trips and commands per rate-limit decision on a hot key, over ${DECISIONS.toLocaleString("en-US")} decisions`,
  columns: [
    { key: "decisions", header: "decisions" },
    { key: "roundTrips", header: "round trips/decision", digits: 2 },
    { key: "evalsha", header: "EVALSHA/decision", digits: 2 },
    { key: "inRedis", header: "commands run in Redis/decision", digits: 2 },
  ],
  timeoutSec: 60,
  cases: [
    {
      name: "rate-limit-redis (express-rate-limit store)",
      requires: ["redis-server"],
      run: counted(async (url) => {
        const client = new Redis(url, { maxRetriesPerRequest: 1 });
        const store = new RedisStore({
          sendCommand: (command: string, ...args: string[]) =>
            client.call(command, ...args) as Promise<RedisReply>,
        });
        store.init({ windowMs: 60_000 } as Options);
        return {
          decide: async () => (await store.increment(HOT_KEY)).totalHits <= LIMIT,
          close: () => client.disconnect(),
        };
      }),
    },
    {
      name: "rate-limiter-flexible RateLimiterRedis",
      requires: ["redis-server"],
      run: counted(async (url) => {
        const client = new Redis(url, { maxRetriesPerRequest: 1 });
        const limiter = new RateLimiterRedis({ storeClient: client, points: LIMIT, duration: 60 });
        return {
          decide: () =>
            limiter.consume(HOT_KEY).then(
              () => true,
              () => false,
            ),
          close: () => client.disconnect(),
        };
      }),
    },
    algorithm("fixed-window"),
    algorithm("sliding-window"),
    algorithm("token-bucket"),
    algorithm("gcra"),
    keel("fixed-window", { limit: LIMIT, window: 60 }, "node-redis"),
    keel("two policies (10/s and 1,000,000/day)", {
      limit: LIMIT,
      window: 1,
      policies: [{ name: "day", limit: LIMIT, window: 86_400 }],
    }),
  ],
};
