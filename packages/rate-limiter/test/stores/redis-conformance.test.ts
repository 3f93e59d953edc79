import { afterAll, describe } from "vitest";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import { redisStore } from "../../src/stores/redis.js";
import { runRateLimitStoreConformance } from "../../src/testing/index.js";
import { type ClientName, connectClient, type TestClient } from "../redis/clients.js";

// The shared conformance suite on real Redis, through each client library. Redis reads its own clock
// (TIME), so the suite runs without a controllable clock: its millisecond-exact part is skipped and
// its time tests wait in real time. (redis-algorithms.test.ts checks the scripts against the memory
// store to the millisecond, at the time Redis reports.)
const hasRedis = await redisAvailable();

describe.skipIf(!hasRedis)("redisStore", () => {
  const clients = new Map<ClientName, Promise<TestClient>>();
  const prefix = uniquePrefix("rl-conformance");
  let run = 0;

  for (const name of ["ioredis", "node-redis"] as const) {
    runRateLimitStoreConformance({
      name: `redis (${name})`,
      createStore: async () => {
        if (!clients.has(name)) clients.set(name, connectClient(name, REDIS_URL));
        const test = await clients.get(name)!;
        run += 1;
        return redisStore({ client: test.client, prefix: `${prefix}${run}:` });
      },
    });
  }

  afterAll(async () => {
    for (const pending of clients.values()) {
      const test = await pending;
      const keys = (await test.command(["KEYS", `${prefix}*`])) as string[];
      if (keys.length > 0) await test.command(["DEL", ...keys]);
      await test.close();
    }
  });
});
