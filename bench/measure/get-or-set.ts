/**
 * 1,000 concurrent misses of one key, all started in the same tick, each asking the cache for the
 * value or, on a miss, for a fetch that takes 20 ms: how many fetches run, and how many callers get
 * the value. A cache that coalesces runs one fetch per process. The reference row is what a cache
 * without coalescing does (await get; fetch on a miss; set). Redis cases run against a private
 * redis-server and report the commands clients sent it (seen through MONITOR).
 */
import { createCache as createKeelCache, redisStore } from "@keel/cache";
import { BentoCache, bentostore } from "bentocache";
import { memoryDriver } from "bentocache/drivers/memory";
import { redisDriver } from "bentocache/drivers/redis";
import { createCache } from "cache-manager";
import { Cacheable } from "cacheable";
import { Redis } from "ioredis";
import { Keyv } from "keyv";
import { LRUCache } from "lru-cache";
import { delay } from "../src/http/variant.js";
import { listCommands, totalCommands, withPrivateRedis } from "../src/measure/redis.js";
import type { MeasureResult, MeasureSuite } from "../src/measure/suite.js";
import { KEY, VALUE } from "../src/micro/fixtures.js";

const CALLERS = 1_000;
const FETCH_MS = 20;
const TTL_SEC = 60;

/** Starts CALLERS reads at once through `read(fetch)` and counts fetches and correct answers. */
async function stampede(
  read: (fetch: () => Promise<typeof VALUE>) => Promise<unknown>,
): Promise<MeasureResult> {
  let fetches = 0;
  const fetch = async () => {
    fetches++;
    await delay(FETCH_MS);
    return { ...VALUE };
  };
  const started = performance.now();
  const answers = await Promise.allSettled(Array.from({ length: CALLERS }, () => read(fetch)));
  const ms = performance.now() - started;
  const answered = answers.filter(
    (a) => a.status === "fulfilled" && (a.value as { id?: number } | undefined)?.id === VALUE.id,
  ).length;
  return { values: { callers: CALLERS, fetches, answered, ms } };
}

/** The same against a private redis-server, adding the commands it received. */
function onPrivateRedis(
  build: (client: Redis) => Promise<(fetch: () => Promise<typeof VALUE>) => Promise<unknown>>,
): Promise<MeasureResult> {
  return withPrivateRedis(async ({ url, counted }) => {
    const client = new Redis(url, { maxRetriesPerRequest: 1 });
    try {
      await client.ping();
      const read = await build(client);
      let result: MeasureResult | undefined;
      const commands = await counted(async () => {
        result = await stampede(read);
      });
      return {
        values: { ...result!.values, roundTrips: totalCommands(commands.sent) },
        note: `sent: ${listCommands(commands.sent)}`,
      };
    } finally {
      client.disconnect();
    }
  });
}

export const suite: MeasureSuite = {
  name: "get-or-set",
  group: "cache",
  title: `${CALLERS.toLocaleString("en-US")} concurrent misses of one key, fetch takes ${FETCH_MS} ms`,
  columns: [
    { key: "callers", header: "callers" },
    { key: "fetches", header: "fetches" },
    { key: "answered", header: "got the value" },
    { key: "roundTrips", header: "Redis round trips" },
    { key: "ms", header: "ms until all answered" },
  ],
  timeoutSec: 60,
  cases: [
    {
      name: "no coalescing: get, fetch on a miss, set (lru-cache)",
      run: () => {
        const cache = new LRUCache<string, object>({ max: 10_000, ttl: TTL_SEC * 1000 });
        return stampede(async (fetch) => {
          const hit = cache.get(KEY);
          if (hit !== undefined) return hit;
          const value = await fetch();
          cache.set(KEY, value);
          return value;
        });
      },
    },
    {
      name: "@keel/cache getOrSet (memory)",
      run: () => {
        const cache = createKeelCache();
        return stampede((fetch) => cache.getOrSet(KEY, fetch, TTL_SEC));
      },
    },
    {
      name: "cache-manager wrap (keyv memory)",
      run: () => {
        const cache = createCache({ stores: [new Keyv()], ttl: TTL_SEC * 1000 });
        return stampede((fetch) => cache.wrap(KEY, fetch));
      },
    },
    {
      name: "cacheable getOrSet (memory)",
      run: () => {
        const cache = new Cacheable({ ttl: TTL_SEC * 1000 });
        return stampede((fetch) => cache.getOrSet(KEY, fetch));
      },
    },
    {
      name: "bentocache getOrSet (memory driver)",
      run: () => {
        const bento = new BentoCache({
          default: "memory",
          stores: { memory: bentostore().useL1Layer(memoryDriver({ maxItems: 10_000 })) },
        });
        return stampede((fetch) => bento.getOrSet({ key: KEY, factory: fetch, ttl: TTL_SEC * 1000 }));
      },
    },
    {
      name: "@keel/cache getOrSet (redisStore)",
      requires: ["redis-server"],
      run: () =>
        onPrivateRedis(async (client) => {
          const cache = createKeelCache({ store: redisStore({ client, prefix: "bench:" }) });
          return (fetch) => cache.getOrSet(KEY, fetch, TTL_SEC);
        }),
    },
    {
      name: "bentocache getOrSet (redis driver, no L1)",
      requires: ["redis-server"],
      run: () =>
        onPrivateRedis(async (client) => {
          const bento = new BentoCache({
            default: "redis",
            stores: { redis: bentostore().useL2Layer(redisDriver({ connection: client })) },
          });
          return (fetch) => bento.getOrSet({ key: KEY, factory: fetch, ttl: TTL_SEC * 1000 });
        }),
    },
  ],
};
