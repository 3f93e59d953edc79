import { describe, expect, it, vi } from "vitest";
import { createCache } from "../../src/cache.js";
import { liveAccessOf } from "../../src/live-access.js";
import { memoryStore } from "../../src/stores/memory.js";
import { createFakeClock, runCacheStoreConformance } from "../../src/testing/index.js";
import type { CacheEntry, EvictionReason } from "../../src/types.js";

const clock = createFakeClock();
runCacheStoreConformance({
  name: "memoryStore (fake clock)",
  clock,
  createStore: () => memoryStore({ clock }),
  createBoundedStore: (max) => memoryStore({ max, clock }),
});

runCacheStoreConformance({ name: "memoryStore (real time)", createStore: () => memoryStore() });
