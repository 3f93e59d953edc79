import { Cluster } from "ioredis";
import { createCluster } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OwnRedis, startOwnRedis } from "../../../../tooling/redis-server.js";
import { type RedisClientLike, redisStore } from "../../src/stores/redis.js";
import type { RateLimitPolicy } from "../../src/types.js";
import { connectClient } from "../redis/clients.js";

// A one-node Redis Cluster of our own. Cluster mode refuses any multi-key command or script whose
// keys hash to different slots (CROSSSLOT), even on one node: passing here proves the hash tags.
let server: OwnRedis;
beforeAll(async () => {
  server = await startOwnRedis({ cluster: true });
  const admin = await connectClient("ioredis", server.url);
  await admin.command(["CLUSTER", "ADDSLOTSRANGE", "0", "16383"]);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (String(await admin.command(["CLUSTER", "INFO"])).includes("cluster_state:ok")) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await admin.close();
});
afterAll(async () => {
  await server?.kill();
});

const policies: RateLimitPolicy[] = [
  { name: "burst", algorithm: "token-bucket", limit: 2, windowMs: 60_000, blockMs: 5_000 },
  { name: "minute", algorithm: "fixed-window", limit: 10, windowMs: 60_000 },
  { name: "hour", algorithm: "sliding-window", limit: 100, windowMs: 3_600_000 },
  { name: "smooth", algorithm: "gcra", limit: 10, windowMs: 1_000 },
];

type ClusterClient = { client: RedisClientLike; close(): Promise<void> };

async function ioredisCluster(): Promise<ClusterClient> {
  const client = new Cluster([{ host: "127.0.0.1", port: server.port }], {
    enableOfflineQueue: true, // the cluster client must learn the slots before its first command
    redisOptions: { maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false },
  });
  client.on("error", () => {});
  return { client, close: async () => client.disconnect() };
}

async function nodeRedisCluster(): Promise<ClusterClient> {
  const client = createCluster({ rootNodes: [{ url: server.url }], defaults: { disableOfflineQueue: true } });
  client.on("error", () => {});
  await client.connect();
  return { client, close: async () => client.destroy() };
}

describe.each([
  ["ioredis Cluster", ioredisCluster],
  ["node-redis createCluster", nodeRedisCluster],
])("redisStore on a %s", (_name, connect) => {
  it("decides, refunds and resets keys whose every Redis key shares one slot", async () => {
    const cluster = await connect();
    try {
      const store = redisStore({ client: cluster.client, prefix: `${_name}:` });
      for (const key of ["user:1", "a{b}c", "}{", ""]) {
        const results = [];
        for (let i = 0; i < 3; i += 1) results.push(await store.consume({ key, policies, cost: 1 }));
        expect(results.map((decisions) => decisions[0]!.allowed)).toEqual([true, true, false]);
        expect(results[2]![0]!.blockedUntil).toBeGreaterThan(0);
        await store.refund(key, policies, 1);
        expect((await store.consume({ key, policies: policies.slice(1), cost: 0 }))[0]!.remaining).toBe(9);
        await store.reset(key, policies);
        expect((await store.consume({ key, policies, cost: 1 })).every((d) => d.allowed)).toBe(true);
      }
    } finally {
      await cluster.close();
    }
  });
});
