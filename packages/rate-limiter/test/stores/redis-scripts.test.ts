import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OwnRedis, startOwnRedis } from "../../../../tooling/redis-server.js";
import { redisStore } from "../../src/stores/redis.js";
import type { RateLimitPolicy } from "../../src/types.js";
import { type ClientName, connectClient, type TestClient } from "../redis/clients.js";

// A private redis-server: these tests flush its script cache and read its command statistics,
// which must not disturb (or be disturbed by) other suites on the shared server.
let server: OwnRedis;
beforeAll(async () => {
  server = await startOwnRedis();
});
afterAll(async () => {
  await server?.kill();
});

/** What the scripts run inside Redis, which `INFO commandstats` counts as well; no client sends these. */
const INSIDE_SCRIPTS = new Set(["time", "get", "set", "hmget", "hset", "pexpireat", "del"]);

/**
 * Commands clients sent since the last `CONFIG RESETSTAT`, as Redis counts them (`INFO commandstats`),
 * leaving out the commands run inside scripts and the test's own INFO/RESETSTAT.
 */
async function commandCalls(admin: TestClient): Promise<Record<string, number>> {
  const info = String(await admin.command(["INFO", "commandstats"]));
  const calls: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    const command = match[1]!;
    if (!INSIDE_SCRIPTS.has(command) && command !== "info" && command !== "config|resetstat") {
      calls[command] = Number(match[2]);
    }
  }
  return calls;
}

const policies: RateLimitPolicy[] = [
  { name: "second", algorithm: "gcra", limit: 50, windowMs: 1_000 },
  { name: "day", algorithm: "sliding-window", limit: 1_000, windowMs: 86_400_000 },
];

describe.each<ClientName>(["ioredis", "node-redis"])("redisStore scripts on %s", (name) => {
  let test: TestClient;
  let admin: TestClient;
  beforeAll(async () => {
    test = await connectClient(name, server.url);
    admin = await connectClient("ioredis", server.url);
  });
  afterAll(async () => {
    await test.close();
    await admin.close();
  });

  it("costs Redis exactly one EVALSHA per check, two policies included", async () => {
    const store = redisStore({ client: test.client, prefix: `${name}:trips:` });
    await store.consume({ key: "warm", policies, cost: 1 });
    await admin.command(["CONFIG", "RESETSTAT"]);
    for (let i = 0; i < 25; i += 1) await store.consume({ key: `user-${i % 5}`, policies, cost: 1 });
    expect(await commandCalls(admin)).toEqual({ evalsha: 25 });
  });

  it("reloads the script after SCRIPT FLUSH with one EVAL and counts the check once", async () => {
    const store = redisStore({ client: test.client, prefix: `${name}:noscript:` });
    const request = { key: "k", policies, cost: 1 };
    expect((await store.consume(request))[1]!.remaining).toBe(999);
    await admin.command(["SCRIPT", "FLUSH"]);
    await admin.command(["CONFIG", "RESETSTAT"]);
    expect((await store.consume(request))[1]!.remaining).toBe(998);
    expect(await commandCalls(admin)).toEqual({ evalsha: 1, eval: 1 });
    expect((await store.consume(request))[1]!.remaining).toBe(997);
    expect(await commandCalls(admin)).toEqual({ evalsha: 2, eval: 1 });
  });

  it("reloads the refund script after SCRIPT FLUSH too", async () => {
    const store = redisStore({ client: test.client, prefix: `${name}:refund-noscript:` });
    await store.consume({ key: "k", policies, cost: 5 });
    await admin.command(["SCRIPT", "FLUSH"]);
    await store.refund("k", policies, 2);
    expect((await store.consume({ key: "k", policies, cost: 0 }))[1]!.remaining).toBe(997);
  });

  it("refuses a blocked key with no command reaching Redis", async () => {
    const store = redisStore({ client: test.client, prefix: `${name}:blocked:` });
    const blocking: RateLimitPolicy[] = [{ ...policies[0]!, limit: 1, blockMs: 60_000 }];
    await store.consume({ key: "k", policies: blocking, cost: 1 });
    await store.consume({ key: "k", policies: blocking, cost: 1 });
    await admin.command(["CONFIG", "RESETSTAT"]);
    for (let i = 0; i < 100; i += 1) {
      expect((await store.consume({ key: "k", policies: blocking, cost: 1 }))[0]!.allowed).toBe(false);
    }
    expect(await commandCalls(admin)).toEqual({});
  });
});
