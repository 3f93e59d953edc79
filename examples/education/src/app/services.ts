import {
  type Cache,
  memoryStore as cacheMemoryStore,
  redisStore as cacheRedisStore,
  createCache,
  tieredStore,
} from "@keel/cache";
import { createMonitor, type Monitor } from "@keel/perf-monitor";
import {
  createRateLimiter,
  memoryStore as limiterMemoryStore,
  redisStore as limiterRedisStore,
  type RateLimiter,
} from "@keel/rate-limiter";
import { Redis } from "ioredis";
import type { AppConfig } from "../config.js";
import type { Database } from "../db/database.js";
import { EducationError } from "../errors.js";

/** The long-lived resources the app runs on, and how to release them all. */
export interface Services {
  readonly db: Database;
  readonly cache: Cache;
  /** The education routes' limiter: `rateLimit` requests a minute per user (per IP when anonymous). */
  readonly limiter: RateLimiter;
  /** The /api/auth limiter: `authRateLimit` failed attempts a minute per client address, against password guessing. */
  readonly authLimiter: RateLimiter;
  readonly monitor: Monitor;
  /** The Redis connections (commands, and the cache's pub/sub subscriber), when `REDIS_URL` is set. */
  readonly redis?: { client: Redis; subscriber: Redis };
  /** Closes the cache, the limiter, the monitor, Redis and the database, in that order. Idempotent. */
  close(): Promise<void>;
}

/** Prefix of every Redis key the example writes: `education:cache:` and `education:rl:`. */
export const REDIS_PREFIX = "education:";

async function connectRedis(url: string): Promise<{ client: Redis; subscriber: Redis }> {
  // Fail fast when Redis is down: a command gets an error instead of queueing forever. The
  // cache and the limiter then degrade (a miss, the memory insurance) instead of hanging.
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2000,
  });
  client.on("error", () => undefined); // reported by the failing commands; ioredis reconnects
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new EducationError(
      "ERR_KEEL_EDUCATION_CONFIG",
      `cannot connect to Redis at REDIS_URL (${url}): start it, or unset REDIS_URL to use in-memory stores`,
      { cause: error },
    );
  }
  // The subscriber is a connection of its own: a connection in subscribe mode sends no commands.
  const subscriber = client.duplicate({ enableOfflineQueue: true });
  subscriber.on("error", () => undefined);
  return { client, subscriber };
}

/** Options for {@link createServices} beyond the config (tests inject their own pieces). */
export interface ServiceOverrides {
  /** A monitor of your own. @default a new `createMonitor()` */
  monitor?: Monitor;
  /** Prefix of every Redis key (tests use a unique one per run). @default "education:" */
  redisPrefix?: string;
}

/**
 * Builds the cache, the rate limiter and the monitor around an open database: in memory without
 * `REDIS_URL`; with it, a tiered cache (memory L1, Redis L2, invalidations over pub/sub) and a
 * Redis limiter with an in-memory insurance store for when Redis fails.
 *
 * @example
 * ```ts
 * const services = await createServices(config, await openDatabase(config.database));
 * await services.close();
 * ```
 */
export async function createServices(
  config: Pick<AppConfig, "redisUrl" | "rateLimit"> & Partial<Pick<AppConfig, "authRateLimit">>,
  db: Database,
  overrides: ServiceOverrides = {},
): Promise<Services> {
  const redis = config.redisUrl === undefined ? undefined : await connectRedis(config.redisUrl);
  const prefix = overrides.redisPrefix ?? REDIS_PREFIX;
  const cache = createCache({
    defaultTtl: 3600,
    store:
      redis === undefined
        ? cacheMemoryStore({ max: 10_000 })
        : tieredStore(
            [
              cacheMemoryStore({ max: 10_000 }),
              cacheRedisStore({ client: redis.client, prefix: `${prefix}cache:` }),
            ],
            { subscriber: redis.subscriber },
          ),
  });
  const limiter = createRateLimiter({
    limit: config.rateLimit,
    window: 60,
    ...(redis === undefined
      ? {}
      : {
          store: limiterRedisStore({ client: redis.client, prefix: `${prefix}rl:` }),
          insurance: limiterMemoryStore(),
        }),
  });
  const authLimiter = createRateLimiter({
    policies: [{ name: "auth", limit: config.authRateLimit ?? 20, window: 60 }],
    ...(redis === undefined
      ? {}
      : {
          store: limiterRedisStore({ client: redis.client, prefix: `${prefix}rl:` }),
          insurance: limiterMemoryStore(),
        }),
  });
  const monitor = overrides.monitor ?? createMonitor();
  let closing: Promise<void> | undefined;
  const close = async () => {
    await cache.close();
    await limiter.close();
    await authLimiter.close();
    monitor.close();
    if (redis !== undefined) {
      await Promise.allSettled([redis.subscriber.quit(), redis.client.quit()]);
    }
    await db.close();
  };
  return {
    db,
    cache,
    limiter,
    authLimiter,
    monitor,
    ...(redis === undefined ? {} : { redis }),
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
