import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OwnRedis, redisServerInstalled, startOwnRedis } from "../../../../tooling/redis-server.js";
import { CacheError } from "../../src/errors.js";
import type { Serializer } from "../../src/serializer.js";
import { type RedisArgument, redisStore } from "../../src/stores/redis.js";

const hasServerBinary = redisServerInstalled();

const entry = (value: unknown, tags?: string[]) => {
  const at = Date.now() + 60_000;
  return tags === undefined
    ? { value, expiresAt: at, staleUntil: at }
    : { value, expiresAt: at, staleUntil: at, tags };
};

// A private server: these tests flush its script cache, which must never happen on the shared one.
describe.skipIf(!hasServerBinary)("redisStore through a sendCommand function", () => {
  let server: OwnRedis;
  let client: Redis;
  const sent: string[] = [];
  const sendCommand = (args: RedisArgument[]) => {
    sent.push(String(args[0]));
    return client.call(String(args[0]), ...args.slice(1));
  };

  beforeAll(async () => {
    server = await startOwnRedis();
    client = new Redis(server.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => 50,
    });
    client.on("error", () => {});
    await client.connect();
  });
  afterAll(async () => {
    client.disconnect();
    await server.kill();
  });

  it("works with a function that returns bulk replies as strings", async () => {
    const store = redisStore({ sendCommand, prefix: "fn:" });
    await store.set("k", entry({ at: new Date(3) }, ["t"]));
    expect(await store.get("k")).toMatchObject({ value: { at: new Date(3) }, tags: ["t"] });
    expect(await store.invalidateTags(["t"])).toBe(1);
  });

  it("refuses a binary entry that such a function hands back as text", async () => {
    const raw: Serializer = { serialize: (v) => Buffer.from(v as Uint8Array), deserialize: (d) => d };
    const store = redisStore({ sendCommand, prefix: "fn-bin:", serializer: raw });
    await store.set("k", entry(Buffer.from([0xff, 0xfe])));
    await expect(store.get("k")).rejects.toBeInstanceOf(CacheError);
  });

  it("reloads its scripts after Redis forgets them (NOSCRIPT), without running them twice", async () => {
    const store = redisStore({ sendCommand, prefix: "noscript:" });
    await store.set("a", entry(1, ["t"]));
    await client.call("SCRIPT", "FLUSH");
    sent.length = 0;
    await store.set("b", entry(2, ["t"]));
    expect(sent).toEqual(["EVALSHA", "EVAL"]);
    sent.length = 0;
    await store.set("c", entry(3, ["t"]));
    expect(sent).toEqual(["EVALSHA"]);
    expect(await client.call("SCARD", "noscript:tag:t")).toBe(3);
  });

  it("passes on every error other than NOSCRIPT as it came", async () => {
    const store = redisStore({ sendCommand, prefix: "wrongtype:" });
    await client.call("SET", "wrongtype:tag:t", "not a set");
    await expect(store.set("k", entry(1, ["t"]))).rejects.toThrow(/WRONGTYPE/);
  });

  it("rejects with the client's error while Redis is down, and recovers when it is back", async () => {
    const store = redisStore({ sendCommand, prefix: "down:" });
    await server.kill();
    await expect(store.get("k")).rejects.toThrow();
    await server.restart();
    // ioredis reconnects by itself; bounded wait for it.
    for (let i = 0; i < 50 && client.status !== "ready"; i++) await new Promise((r) => setTimeout(r, 50));
    await store.set("k", entry("back"));
    expect((await store.get("k"))?.value).toBe("back");
  });
});
