import { afterAll, beforeAll, describe } from "vitest";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import { memoryStore } from "../../src/stores/memory.js";
import type { RedisSubscriberLike } from "../../src/stores/redis/pubsub.js";
import { redisStore } from "../../src/stores/redis.js";
import { tieredStore } from "../../src/stores/tiered.js";
import { runCacheStoreConformance } from "../../src/testing/index.js";
import { CLIENT_NAMES, connectClient, type TestClient } from "./redis-clients.js";

const hasRedis = await redisAvailable();

describe.skipIf(!hasRedis).each(CLIENT_NAMES)("tieredStore on %s", (clientName) => {
  let redis: TestClient;
  // One subscriber connection for every store of this file: each store listens on its own channel.
  let subscriber: RedisSubscriberLike;
  beforeAll(async () => {
    redis = await connectClient(clientName, REDIS_URL);
    subscriber = await redis.duplicate();
  });
  afterAll(async () => {
    await redis.close();
  });

  runCacheStoreConformance({
    name: `tiered (memory + redis on ${clientName})`,
    createStore: async () => {
      const l2 = redisStore({
        client: redis.client,
        prefix: uniquePrefix(`cache-conformance-tiered-${clientName}`),
      });
      const store = tieredStore([memoryStore(), l2], { subscriber });
      await store.ready;
      return store;
    },
  });
});
