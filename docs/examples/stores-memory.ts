// One process: the default memory stores. Bound them, and give the limiter an exact clock in tests.
import assert from "node:assert/strict";
import { createCache, memoryStore } from "@keel/cache";
import { createRateLimiter, memoryStore as limiterMemory } from "@keel/rate-limiter";

// A cache of at most 50,000 entries or 64 MiB (sizes estimated per value), least recently used first out.
const cache = createCache({
  store: memoryStore({ max: 50_000, maxSize: 64 * 1024 * 1024 }),
  defaultTtl: 300, // seconds
});

let loads = 0;
const loadUser = async (id: string) => {
  loads += 1;
  return { id, name: "Ada" };
};

// Ten concurrent misses of one key run the loader once (single flight) and share its result.
const users = await Promise.all(
  Array.from({ length: 10 }, () => cache.getOrSet("user:1", () => loadUser("1"), { ttl: 60 })),
);
assert.equal(loads, 1);
assert.deepEqual(users[9], { id: "1", name: "Ada" });

// A limiter on a memory store of at most 100,000 keys.
const limiter = createRateLimiter({ limit: 5, window: 1, store: limiterMemory({ max: 100_000 }) });
const decisions = [];
for (let i = 0; i < 6; i++) decisions.push((await limiter.check("ip:203.0.113.7")).allowed);
assert.deepEqual(decisions, [true, true, true, true, true, false]);

await cache.close();
await limiter.close();
