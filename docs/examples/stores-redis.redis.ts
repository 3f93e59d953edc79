// Many processes: both stores on Redis. The stores take a client you created (ioredis or node-redis)
// and never open, reconnect or close it.
import assert from "node:assert/strict";
import { createCache, redisStore } from "@keel/cache";
import { createRateLimiter, redisStore as limiterRedisStore } from "@keel/rate-limiter";
import { Redis } from "ioredis";
import { createClient } from "redis";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `docs:${process.pid}:${Date.now()}:`; // give each cache its own prefix

// The cache with ioredis...
const ioredis = new Redis(url);
const cache = createCache({ store: redisStore({ client: ioredis, prefix: `${prefix}cache:` }) });
await cache.set("modules", ["intro", "advanced"], { ttl: 3600, tags: ["modules"] });
assert.deepEqual(await cache.get("modules"), ["intro", "advanced"]);
assert.equal(await cache.invalidateTags(["modules"]), 1);

// ...and the limiter with node-redis: either client works with either store.
const nodeRedis = createClient({ url });
await nodeRedis.connect();
const limiter = createRateLimiter({
  limit: 2,
  window: 60,
  algorithm: "sliding-window",
  store: limiterRedisStore({ client: nodeRedis, prefix: `${prefix}rl:` }),
});
const results = [
  await limiter.check("user:42"),
  await limiter.check("user:42"),
  await limiter.check("user:42"),
];
assert.deepEqual(
  results.map((r) => r.allowed),
  [true, true, false],
);
assert.ok((results[2]?.retryAfter ?? 0) > 0);

await cache.clear(); // removes only this cache's prefix
await limiter.reset("user:42");
await cache.close();
await limiter.close();
ioredis.disconnect(); // your clients: you close them
await nodeRedis.quit();
