import { afterAll, beforeAll, describe } from "vitest";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import { redisStore } from "../../src/stores/redis.js";
import { runCacheStoreConformance } from "../../src/testing/index.js";
import { CLIENT_NAMES, connectClient, type TestClient } from "./redis-clients.js";

const hasRedis = await redisAvailable();

// Real time, no fake clock: Redis expires entries by its own clock (PX), and SCAN skips expired keys.
describe.skipIf(!hasRedis).each(CLIENT_NAMES)("redisStore on %s", (clientName) => {
  let redis: TestClient;
  beforeAll(async () => {
    redis = await connectClient(clientName, REDIS_URL);
  });
  afterAll(async () => {
    await redis.close();
  });

  runCacheStoreConformance({
    name: `redis (${clientName})`,
    createStore: () =>
      redisStore({ client: redis.client, prefix: uniquePrefix(`cache-conformance-${clientName}`) }),
  });
});
