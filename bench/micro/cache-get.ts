/**
 * A memory cache hit, awaited: the cost a route pays per cached request. Baseline: an awaited raw
 * lru-cache `get`, since every cache API here is async and a cache wrapper's target is stated
 * against it. The sync lru-cache `get` is shown as the floor.
 */
import { BentoCache, bentostore } from "bentocache";
import { memoryDriver } from "bentocache/drivers/memory";
import { createCache } from "cache-manager";
import { Cacheable } from "cacheable";
import { Keyv } from "keyv";
import { LRUCache } from "lru-cache";
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
