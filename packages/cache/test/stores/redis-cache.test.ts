import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import { createCache } from "../../src/cache.js";
import { memoryStore } from "../../src/stores/memory.js";
import { redisStore } from "../../src/stores/redis.js";
import { tieredStore } from "../../src/stores/tiered.js";
import { connectClient, type TestClient } from "./redis-clients.js";

const hasRedis = await redisAvailable();

// The stores behind the public API, as the education backend would use them.
describe.skipIf(!hasRedis)("createCache on Redis stores", () => {
  let redis: TestClient;
  beforeAll(async () => {
    redis = await connectClient("ioredis", REDIS_URL);
  });
  afterAll(async () => {
    await redis.close();
  });

  it("runs getOrSet, tags and pattern invalidation on redisStore, values restored", async () => {
    const cache = createCache({
      store: redisStore({ client: redis.client, prefix: uniquePrefix("cache-api-redis") }),
    });
    let fetches = 0;
    const load = async () => {
      fetches++;
      return { modules: new Map([["intro", { updatedAt: new Date(0) }]]) };
    };
    const first = await cache.getOrSet("/modules", load, { ttl: 60, tags: ["modules"] });
    const second = await cache.getOrSet("/modules", load, { ttl: 60, tags: ["modules"] });
    expect(second).toEqual(first);
    expect(fetches).toBe(1);
    await cache.set("/modules/intro", { slug: "intro" }, 60);
    expect(await cache.invalidate("/modules/*")).toBe(1);
    expect(await cache.invalidateTags(["modules"])).toBe(1);
    expect(await cache.has("/modules")).toBe(false);
    expect(await cache.getStats()).toMatchObject({ errors: 0, size: 0 });
    await cache.close();
  });

  it("runs on tieredStore, the second read answered by L1 without a round trip", async () => {
    const store = tieredStore(
      [memoryStore(), redisStore({ client: redis.client, prefix: uniquePrefix("cache-api-tiered") })],
      { subscriber: await redis.duplicate() },
    );
    await store.ready;
    const cache = createCache({ store });
    await cache.set("k", { n: 1 }, 60);
    redis.sent.length = 0;
    expect(await cache.get("k")).toEqual({ n: 1 });
    expect(redis.sent).toEqual([]);
    await cache.close();
  });
});
