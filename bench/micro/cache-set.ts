/** A memory cache write, awaited, cycling over 1,024 keys (mostly overwrites). Baseline: awaited lru-cache `set`. */

import { createCache as createKeelCache } from "@keel/cache";
import { BentoCache, bentostore } from "bentocache";
import { memoryDriver } from "bentocache/drivers/memory";
import { createCache } from "cache-manager";
import { Cacheable } from "cacheable";
import { Keyv } from "keyv";
import { LRUCache } from "lru-cache";
import { KEYS, VALUE } from "../src/micro/fixtures.js";
import type { MicroSuite } from "../src/micro/suite.js";

const TTL_MS = 60_000;

export const suite: MicroSuite = {
  name: "cache-set",
  group: "cache",
  title: "memory set with a 60 s TTL over 1,024 keys, awaited",
  baseline: "lru-cache set (awaited)",
  cases: [
    {
      name: "lru-cache set (awaited)",
      setup: () => {
        const cache = new LRUCache<string, object>({ max: 10_000, ttl: TTL_MS });
        let i = 0;
        return async () => cache.set(KEYS[i++ & 1023]!, VALUE);
      },
    },
    {
      name: "@keel/cache set (memory)",
      setup: () => {
        const cache = createKeelCache();
        let i = 0;
        return () => cache.set(KEYS[i++ & 1023]!, VALUE, TTL_MS / 1000);
      },
    },
    {
      name: "keyv set (memory)",
      setup: () => {
        const keyv = new Keyv({ ttl: TTL_MS });
        let i = 0;
        return () => keyv.set(KEYS[i++ & 1023]!, VALUE);
      },
    },
    {
      name: "cache-manager set (keyv memory)",
      setup: () => {
        const cache = createCache({ stores: [new Keyv()], ttl: TTL_MS });
        let i = 0;
        return () => cache.set(KEYS[i++ & 1023]!, VALUE);
      },
    },
    {
      name: "cacheable set (memory)",
      setup: () => {
        const cache = new Cacheable({ ttl: TTL_MS });
        let i = 0;
        return () => cache.set(KEYS[i++ & 1023]!, VALUE);
      },
    },
    {
      name: "bentocache set (memory driver)",
      setup: () => {
        const bento = new BentoCache({
          default: "memory",
          stores: { memory: bentostore().useL1Layer(memoryDriver({ maxItems: 10_000 })) },
        });
        let i = 0;
        return () => bento.set({ key: KEYS[i++ & 1023]!, value: VALUE, ttl: TTL_MS });
      },
    },
  ],
};
