/**
 * A memory cache hit, awaited: the cost a route pays per cached request. Baseline: an awaited raw
 * lru-cache `get`, since every cache API here is async and a cache wrapper's target is stated
 * against it (issue #3: an awaited @keel/cache memory hit costs at most 1.25x). The sync lru-cache
 * `get` is shown as the floor. The tiered case reads an L1 (memory) hit of a tieredStore whose L2 is
 * Redis: it needs Redis for its pub/sub subscription, but a hit never leaves the process.
 */

import { createCache as createKeelCache, memoryStore, redisStore, tieredStore } from "@keel/cache";
import { BentoCache, bentostore } from "bentocache";
import { memoryDriver } from "bentocache/drivers/memory";
import { createCache } from "cache-manager";
import { Cacheable } from "cacheable";
import { Redis } from "ioredis";
import { Keyv } from "keyv";
import { LRUCache } from "lru-cache";
import { REDIS_URL, uniquePrefix } from "../../tooling/services.js";
import { KEY, VALUE } from "../src/micro/fixtures.js";
import type { MicroSuite } from "../src/micro/suite.js";

const TTL_MS = 60_000;

export const suite: MicroSuite = {
  name: "cache-get",
  group: "cache",
  title: "memory get of a present key, awaited",
  baseline: "lru-cache get (awaited)",
  cases: [
    {
      name: "lru-cache get (awaited)",
      setup: () => {
        const cache = new LRUCache<string, object>({ max: 10_000, ttl: TTL_MS });
        cache.set(KEY, VALUE);
        return async () => cache.get(KEY);
      },
    },
    {
      name: "lru-cache get (sync)",
      setup: () => {
        const cache = new LRUCache<string, object>({ max: 10_000, ttl: TTL_MS });
        cache.set(KEY, VALUE);
        return () => cache.get(KEY);
      },
    },
    {
      name: "@keel/cache get (memory)",
      setup: async () => {
        const cache = createKeelCache({ defaultTtl: TTL_MS / 1000 });
        await cache.set(KEY, VALUE);
        return () => cache.get(KEY);
      },
    },
    {
      name: "@keel/cache get (tiered, L1 hit)",
      requires: ["redis"],
      setup: async () => {
        const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
        const subscriber = client.duplicate();
        // l1Ttl as long as the entry's TTL, so a long run never turns the L1 hit into a Redis read.
        const store = tieredStore(
          [memoryStore(), redisStore({ client, prefix: uniquePrefix("bench-cache-get") })],
          { subscriber, l1Ttl: 3600 },
        );
        await store.ready;
        const cache = createKeelCache({ store, defaultTtl: 3600 });
        await cache.set(KEY, VALUE);
        if ((await cache.get(KEY)) === undefined)
          throw new Error("the tiered cache lost the key it was given");
        return {
          body: () => cache.get(KEY),
          teardown: async () => {
            await cache.clear();
            await cache.close();
            client.disconnect();
            subscriber.disconnect();
          },
        };
      },
    },
    {
      name: "keyv get (memory)",
      setup: async () => {
        const keyv = new Keyv({ ttl: TTL_MS });
        await keyv.set(KEY, VALUE);
        return () => keyv.get(KEY);
      },
    },
    {
      name: "cache-manager get (keyv memory)",
      setup: async () => {
        const cache = createCache({ stores: [new Keyv()], ttl: TTL_MS });
        await cache.set(KEY, VALUE);
        return () => cache.get(KEY);
      },
    },
    {
      name: "cacheable get (memory)",
      setup: async () => {
        const cache = new Cacheable({ ttl: TTL_MS });
        await cache.set(KEY, VALUE);
        return () => cache.get(KEY);
      },
    },
    {
      name: "bentocache get (memory driver)",
      setup: async () => {
        const bento = new BentoCache({
          default: "memory",
          stores: { memory: bentostore().useL1Layer(memoryDriver({ maxItems: 10_000 })) },
        });
        await bento.set({ key: KEY, value: VALUE, ttl: TTL_MS });
        return () => bento.get({ key: KEY });
      },
    },
  ],
};
