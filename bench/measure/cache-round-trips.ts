/**
 * Redis round trips per cache read: 1,000 reads (a hot key, or 1,000 distinct keys read once each),
 * counted on a private redis-server through MONITOR (commands clients sent), after the entries are
 * written and the clients connected. Issue #3: a redisStore `get` is one round trip; a tiered L1 hit is none.
 */
import {
  type Cache,
  createCache as createKeelCache,
  memoryStore,
  redisStore,
  tieredStore,
} from "@keel/cache";
import { BentoCache, bentostore } from "bentocache";
import { memoryDriver } from "bentocache/drivers/memory";
import { redisDriver } from "bentocache/drivers/redis";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { describeCommands, totalCommands, withPrivateRedis } from "../src/measure/redis.js";
import type { MeasureResult, MeasureSuite } from "../src/measure/suite.js";
import { VALUE } from "../src/micro/fixtures.js";

const READS = 1_000;
const TTL_SEC = 600;
const keyOf = (i: number) => `item:${i}`;

type Read = (i: number) => Promise<unknown>;

/** Writes, then counts the commands of READS reads; checks that every read found its value. */
function counted(
  setup: (url: string) => Promise<{ read: Read; close: () => Promise<void> | void }>,
  expectValue = true,
): () => Promise<MeasureResult> {
  return () =>
    withPrivateRedis(async ({ url, counted: count }) => {
      const { read, close } = await setup(url);
      try {
        let found = 0;
        const commands = await count(async () => {
          for (let i = 0; i < READS; i++) {
            const value = (await read(i)) as { id?: number } | undefined;
            if (value?.id === VALUE.id) found++;
          }
        });
        if (found !== (expectValue ? READS : 0))
          throw new Error(`${found} of ${READS} reads found a value (expected ${expectValue ? READS : 0})`);
        const inScripts = totalCommands(commands.inScripts);
        return {
          values: {
            reads: READS,
            perRead: totalCommands(commands.sent) / READS,
            getPerRead: (commands.sent.get ?? 0) / READS,
          },
          note: `per read: ${describeCommands(commands.sent, READS)}${inScripts > 0 ? `; in scripts: ${describeCommands(commands.inScripts, READS)}` : ""}`,
        };
      } finally {
        await close();
      }
    });
}

/** A Keel cache on a redisStore over an ioredis client, holding `count` entries. */
async function keelOnRedis(url: string, count: number) {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  const cache = createKeelCache({ store: redisStore({ client, prefix: "bench:" }), defaultTtl: TTL_SEC });
  for (let i = 0; i < count; i++) await cache.set(keyOf(i), VALUE);
  return { client, cache };
}

/** A Keel cache on a tieredStore (memory L1, redis L2), with its own two connections. */
async function keelTiered(url: string): Promise<{ cache: Cache; close: () => Promise<void> }> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  const subscriber = client.duplicate();
  const store = tieredStore([memoryStore(), redisStore({ client, prefix: "bench:" })], { subscriber });
  await store.ready;
  const cache = createKeelCache({ store, defaultTtl: TTL_SEC });
  return {
    cache,
    close: async () => {
      await cache.close();
      client.disconnect();
      subscriber.disconnect();
    },
  };
}

export const suite: MeasureSuite = {
  name: "cache-round-trips",
  group: "cache",
  title: `Redis round trips per cache read, over ${READS.toLocaleString("en-US")} reads`,
  columns: [
    { key: "reads", header: "reads" },
    { key: "perRead", header: "round trips/read", digits: 2 },
    { key: "getPerRead", header: "GET/read", digits: 2 },
  ],
  timeoutSec: 60,
  cases: [
    {
      name: "@keel/cache get, redisStore hit (ioredis)",
      requires: ["redis-server"],
      run: counted(async (url) => {
        const { client, cache } = await keelOnRedis(url, 1);
        return { read: () => cache.get(keyOf(0)), close: () => client.disconnect() };
      }),
    },
    {
      name: "@keel/cache get, redisStore hit (node-redis)",
      requires: ["redis-server"],
      run: counted(async (url) => {
        const client = await createClient({ url }).connect();
        const cache = createKeelCache({
          store: redisStore({ client, prefix: "bench:" }),
          defaultTtl: TTL_SEC,
        });
        await cache.set(keyOf(0), VALUE);
        return { read: () => cache.get(keyOf(0)), close: async () => void (await client.quit()) };
      }),
    },
    {
      name: "@keel/cache get, redisStore miss",
      requires: ["redis-server"],
      run: counted(async (url) => {
        const { client, cache } = await keelOnRedis(url, 0);
        return { read: (i) => cache.get(keyOf(i)), close: () => client.disconnect() };
      }, false),
    },
    {
      name: "@keel/cache get, tieredStore L1 hit",
      requires: ["redis-server"],
      run: counted(async (url) => {
        const { cache, close } = await keelTiered(url);
        await cache.set(keyOf(0), VALUE);
        return { read: () => cache.get(keyOf(0)), close };
      }),
    },
    {
      name: "@keel/cache get, tieredStore L1 miss, L2 hit (another process's entries)",
      requires: ["redis-server"],
      run: counted(async (url) => {
        const writer = await keelTiered(url);
        for (let i = 0; i < READS; i++) await writer.cache.set(keyOf(i), VALUE);
        const reader = await keelTiered(url);
        return {
          read: (i) => reader.cache.get(keyOf(i)),
          close: async () => {
            await reader.close();
            await writer.close();
          },
        };
      }),
    },
    {
      name: "bentocache get, redis driver hit (no L1)",
      requires: ["redis-server"],
      run: counted(async (url) => {
        const client = new Redis(url, { maxRetriesPerRequest: 1 });
        const bento = new BentoCache({
          default: "redis",
          stores: { redis: bentostore().useL2Layer(redisDriver({ connection: client })) },
        });
        await bento.set({ key: keyOf(0), value: VALUE, ttl: TTL_SEC * 1000 });
        return { read: () => bento.get({ key: keyOf(0) }), close: () => client.disconnect() };
      }),
    },
    {
      name: "bentocache get, memory L1 + redis L2, L1 hit",
      requires: ["redis-server"],
      run: counted(async (url) => {
        const client = new Redis(url, { maxRetriesPerRequest: 1 });
        const bento = new BentoCache({
          default: "tiered",
          stores: {
            tiered: bentostore()
              .useL1Layer(memoryDriver({ maxItems: 10_000 }))
              .useL2Layer(redisDriver({ connection: client })),
          },
        });
        await bento.set({ key: keyOf(0), value: VALUE, ttl: TTL_SEC * 1000 });
        return { read: () => bento.get({ key: keyOf(0) }), close: () => client.disconnect() };
      }),
    },
  ],
};
