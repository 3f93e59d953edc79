import { Cluster, Redis } from "ioredis";
import { createClient, createCluster } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import { toCommandSender } from "../../src/stores/redis/command.js";
import { type RedisClientLike, redisStore } from "../../src/stores/redis.js";

// Unconnected clients of both libraries: detection looks at shape only and must never connect.
const ioredis = new Redis({ lazyConnect: true });
const ioCluster = new Cluster([{ host: "127.0.0.1", port: 1 }], { lazyConnect: true });
const nodeRedis = createClient();
const nodeCluster = createCluster({ rootNodes: [{ url: "redis://127.0.0.1:1" }] });

afterAll(() => {
  ioredis.disconnect();
  ioCluster.disconnect();
});

describe("toCommandSender", () => {
  it.each([
    ["an ioredis Redis", ioredis, "ioredis"],
    ["an ioredis Cluster", ioCluster, "ioredis"],
    ["a node-redis client", nodeRedis, "node-redis"],
    ["a node-redis cluster", nodeCluster, "node-redis-cluster"],
  ] as const)("recognises %s by its shape", (_label, client, kind) => {
    expect(toCommandSender(client)?.kind).toBe(kind);
  });

  it("recognises nothing in values that are not clients", () => {
    for (const value of [undefined, null, 42, "redis://", {}, { call: 1 }, { sendCommand: "x" }]) {
      expect(toCommandSender(value)).toBeUndefined();
    }
  });

  it("accepts every supported client type without a cast", () => {
    const clients: RedisClientLike[] = [ioredis, ioCluster, nodeRedis, nodeCluster];
    for (const client of clients) expect(redisStore({ client }).name).toBe("redis");
  });
});

describe("redisStore options", () => {
  const sendCommand = async (): Promise<unknown> => null;

  it("needs exactly one of client and sendCommand", () => {
    expect(() => redisStore({})).toThrow(expect.objectContaining({ code: "ERR_KEEL_RATE_LIMIT_OPTION" }));
    expect(() => redisStore({ client: ioredis, sendCommand })).toThrow(/exactly one of `client`/);
  });

  it("refuses a client it cannot recognise and a sendCommand that is not a function", () => {
    expect(() => redisStore({ client: {} as RedisClientLike })).toThrow(/not an ioredis client/);
    expect(() => redisStore({ sendCommand: "EVAL" as never })).toThrow(/must be a function/);
  });

  it("refuses a prefix with braces, which would break the hash tag", () => {
    expect(() => redisStore({ sendCommand, prefix: "app{1}:" })).toThrow(/without "\{" or "\}"/);
  });

  it("refuses a blocked-key cache size that is not a whole number", () => {
    expect(() => redisStore({ sendCommand, blockedKeyCacheSize: -1 })).toThrow(/blockedKeyCacheSize/);
    expect(() => redisStore({ sendCommand, blockedKeyCacheSize: 1.5 })).toThrow(/blockedKeyCacheSize/);
  });

  it("refuses a clock without now()", () => {
    expect(() => redisStore({ sendCommand, clock: {} as never })).toThrow(/clock/);
  });

  it("declares itself shared and on the server's clock", () => {
    expect(redisStore({ sendCommand }).capabilities).toEqual({ shared: true, serverClock: true });
  });
});
