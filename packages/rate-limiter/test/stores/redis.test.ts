import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import { redisStore } from "../../src/stores/redis.js";
import type { RateLimitAlgorithm, RateLimitPolicy } from "../../src/types.js";
import { type ClientName, connectClient, countingSend, type TestClient } from "../redis/clients.js";

const hasRedis = await redisAvailable();
const ALGORITHMS: RateLimitAlgorithm[] = ["fixed-window", "sliding-window", "token-bucket", "gcra"];

function policy(
  algorithm: RateLimitAlgorithm,
  limit: number,
  windowMs = 60_000,
  extra = {},
): RateLimitPolicy {
  return { name: `${algorithm}:${limit}/${windowMs}`, algorithm, limit, windowMs, ...extra };
}

describe.skipIf(!hasRedis).each<ClientName>(["ioredis", "node-redis"])("redisStore on %s", (name) => {
  let test: TestClient;
  const prefix = uniquePrefix(`rl-redis-${name}`);

  beforeAll(async () => {
    test = await connectClient(name, REDIS_URL);
  });
  afterAll(async () => {
    // Leave nothing behind on the shared server: every key of this file shares `prefix`.
    const keys = (await test.command(["KEYS", `${prefix}*`])) as string[];
    if (keys.length > 0) await test.command(["DEL", ...keys]);
    await test.close();
  });

  it.each(ALGORITHMS)("decides %s with exactly one EVALSHA per check", async (algorithm) => {
    const { send, sent } = countingSend(test);
    const store = redisStore({ sendCommand: send, prefix });
    const request = { key: "one-trip", policies: [policy(algorithm, 3)], cost: 1 };
    await store.consume(request); // may load the script once (EVAL after NOSCRIPT) on a fresh server
    sent.length = 0;
    const allowed: boolean[] = [];
    for (let i = 0; i < 4; i += 1) allowed.push((await store.consume(request))[0]!.allowed);
    expect(allowed).toEqual([true, true, false, false]);
    expect(sent.map((args) => args[0])).toEqual(["EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA"]);
  });

  it("works through the client itself, not only a sendCommand", async () => {
    const store = redisStore({ client: test.client, prefix });
    const request = { key: "via-client", policies: [policy("gcra", 2)], cost: 1 };
    const decisions = [];
    for (let i = 0; i < 3; i += 1) decisions.push((await store.consume(request))[0]!);
    expect(decisions.map((d) => [d.allowed, d.remaining])).toEqual([
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(decisions[2]!.retryAfterMs).toBeGreaterThan(0);
  });

  it("refuses a blocked key from its cache, with no round trip, until the block ends", async () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const { send, sent } = countingSend(test);
    const store = redisStore({ sendCommand: send, prefix, clock });
    const request = {
      key: "blocked",
      policies: [policy("fixed-window", 2, 60_000, { blockMs: 30_000 })],
      cost: 1,
    };
    const first = [];
    for (let i = 0; i < 3; i += 1) first.push((await store.consume(request))[0]!);
    expect(first.map((d) => d.allowed)).toEqual([true, true, false]);
    const blockedUntil = first[2]!.blockedUntil!;
    expect(first[2]).toMatchObject({ remaining: 0, resetAt: blockedUntil });
    const tripsBefore = sent.length;

    const cached = [];
    for (let i = 0; i < 50; i += 1) {
      now += 500;
      cached.push((await store.consume(request))[0]!);
    }
    expect(sent.length).toBe(tripsBefore);
    expect(cached.every((d) => !d.allowed && d.blockedUntil === blockedUntil && d.remaining === 0)).toBe(
      true,
    );
    // The time left shrinks with the local clock: 50 steps of 500 ms.
    expect(cached[0]!.retryAfterMs - cached[49]!.retryAfterMs).toBe(49 * 500);

    now += 30_000; // past the block on the local clock: Redis is asked again (and, on its clock, still blocks)
    const after = (await store.consume(request))[0]!;
    expect(sent.length).toBe(tripsBefore + 1);
    expect(after).toMatchObject({ allowed: false, blockedUntil });
  });

  it("asks Redis for a blocked key when the cache is disabled", async () => {
    const { send, sent } = countingSend(test);
    const store = redisStore({ sendCommand: send, prefix, blockedKeyCacheSize: 0 });
    const request = { key: "no-cache", policies: [policy("gcra", 1, 60_000, { blockMs: 10_000 })], cost: 1 };
    for (let i = 0; i < 5; i += 1) await store.consume(request);
    expect(sent.length).toBe(5);
  });

  it("keeps every key of a decision in one hash tag, whatever braces the client key holds", async () => {
    const store = redisStore({ client: test.client, prefix });
    const key = "a{b}c}{";
    const policies = [policy("token-bucket", 1, 60_000, { blockMs: 5_000 }), policy("fixed-window", 5)];
    await store.consume({ key, policies, cost: 1 });
    await store.consume({ key, policies, cost: 1 }); // the bucket refuses: its block key is written
    const tag = "{a%7Bb%7Dc%7D%7B}";
    const exists = await test.command([
      "EXISTS",
      `${prefix}${tag}:token-bucket%3A1/60000`,
      `${prefix}${tag}:block:token-bucket%3A1/60000`,
      `${prefix}${tag}:fixed-window%3A5/60000`,
    ]);
    expect(Number(exists)).toBe(3);
  });

  it.each(ALGORITHMS)("lets the %s state and its block expire by themselves", async (algorithm) => {
    const store = redisStore({ client: test.client, prefix });
    const p = policy(algorithm, 1, 20_000, { blockMs: 7_000, name: `ttl-${algorithm}` });
    await store.consume({ key: "ttl", policies: [p], cost: 1 });
    await store.consume({ key: "ttl", policies: [p], cost: 1 });
    const state = Number(await test.command(["PTTL", `${prefix}{ttl}:ttl-${algorithm}`]));
    const block = Number(await test.command(["PTTL", `${prefix}{ttl}:block:ttl-${algorithm}`]));
    expect(state).toBeGreaterThan(0);
    expect(state).toBeLessThanOrEqual(algorithm === "sliding-window" ? 40_000 : 20_000);
    expect(block).toBeGreaterThan(0);
    expect(block).toBeLessThanOrEqual(7_000);
  });

  it.each(ALGORITHMS)("peeks at %s without creating state", async (algorithm) => {
    const store = redisStore({ client: test.client, prefix });
    const p = policy(algorithm, 4, 60_000, { name: `peek-${algorithm}` });
    const [peek] = await store.consume({ key: "peek", policies: [p], cost: 0 });
    expect(peek).toMatchObject({ allowed: true, remaining: 4, retryAfterMs: 0 });
    expect(Number(await test.command(["EXISTS", `${prefix}{peek}:peek-${algorithm}`]))).toBe(0);
  });

  it.each(ALGORITHMS)("refuses a %s cost above capacity without consuming or blocking", async (algorithm) => {
    const store = redisStore({ client: test.client, prefix });
    const p = policy(algorithm, 3, 60_000, { name: `over-${algorithm}`, blockMs: 60_000 });
    const [over] = await store.consume({ key: "over", policies: [p], cost: 4 });
    expect(over).toMatchObject({ allowed: false, remaining: 3 });
    expect(over!.blockedUntil).toBeUndefined();
    const [next] = await store.consume({ key: "over", policies: [p], cost: 3 });
    expect(next).toMatchObject({ allowed: true, remaining: 0 });
  });

  it("consumes from no policy when one of several refuses", async () => {
    const store = redisStore({ client: test.client, prefix });
    const tight = policy("fixed-window", 1, 60_000, { name: "tight" });
    const loose = policy("sliding-window", 10, 60_000, { name: "loose" });
    const policies = [tight, loose];
    const first = await store.consume({ key: "multi", policies, cost: 1 });
    const second = await store.consume({ key: "multi", policies, cost: 1 });
    expect(first.map((d) => d.allowed)).toEqual([true, true]);
    expect(second.map((d) => d.allowed)).toEqual([false, true]);
    const [peek] = await store.consume({ key: "multi", policies: [loose], cost: 0 });
    expect(peek!.remaining).toBe(9);
  });

  it.each(ALGORITHMS)("refunds %s units, never beyond the limit", async (algorithm) => {
    const store = redisStore({ client: test.client, prefix });
    const p = policy(algorithm, 5, 600_000, { name: `refund-${algorithm}` });
    const request = { key: "refund", policies: [p], cost: 3 };
    expect((await store.consume(request))[0]!.remaining).toBe(2);
    await store.refund("refund", [p], 2);
    expect((await store.consume({ ...request, cost: 0 }))[0]!.remaining).toBe(4);
    await store.refund("refund", [p], 100);
    expect((await store.consume({ ...request, cost: 0 }))[0]!.remaining).toBe(5);
  });

  it("refunds nothing into a key that has no state", async () => {
    const store = redisStore({ client: test.client, prefix });
    const policies = ALGORITHMS.map((algorithm) =>
      policy(algorithm, 5, 60_000, { name: `void-${algorithm}` }),
    );
    await store.refund("void", policies, 3);
    const exists = await test.command(["EXISTS", ...policies.map((p) => `${prefix}{void}:${p.name}`)]);
    expect(Number(exists)).toBe(0);
  });

  it("resets state, block and the cached block of a key", async () => {
    const { send, sent } = countingSend(test);
    const store = redisStore({ sendCommand: send, prefix });
    const p = policy("fixed-window", 1, 60_000, { name: "reset", blockMs: 60_000 });
    const request = { key: "reset", policies: [p], cost: 1 };
    await store.consume(request);
    expect((await store.consume(request))[0]!.blockedUntil).toBeGreaterThan(0);
    await store.reset("reset", [p]);
    const trips = sent.length;
    expect((await store.consume(request))[0]!.allowed).toBe(true);
    expect(sent.length).toBe(trips + 1);
  });

  it("rejects a script error once, without sending the script again", async () => {
    const { send, sent } = countingSend(test);
    const store = redisStore({ sendCommand: send, prefix });
    await test.command(["SET", `${prefix}{wrongtype}:w`, "not a hash"]);
    const request = {
      key: "wrongtype",
      policies: [policy("fixed-window", 5, 60_000, { name: "w" })],
      cost: 1,
    };
    await expect(store.consume(request)).rejects.toThrow(/WRONGTYPE/);
    expect(sent.length).toBe(1);
  });

  it("rejects a reply its script cannot have sent, as when a proxy alters EVALSHA replies", async () => {
    const store = redisStore({
      prefix,
      sendCommand: async (args) => {
        await test.command(args);
        return "OK";
      },
    });
    const request = { key: "altered", policies: [policy("gcra", 5)], cost: 1 };
    await expect(store.consume(request)).rejects.toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_STORE_REPLY" });
  });

  it("answers an empty policy list without a round trip and drops nothing on cleanup", async () => {
    const { send, sent } = countingSend(test);
    const store = redisStore({ sendCommand: send, prefix });
    expect(await store.consume({ key: "none", policies: [], cost: 1 })).toEqual([]);
    await store.refund("none", [], 1);
    await store.reset("none", []);
    expect(await store.cleanup()).toBe(0);
    expect(sent.length).toBe(0);
  });

  it("refuses to work after close", async () => {
    const store = redisStore({ client: test.client, prefix });
    await store.close();
    const p = policy("gcra", 1);
    await expect(store.consume({ key: "closed", policies: [p], cost: 1 })).rejects.toMatchObject({
      code: "ERR_KEEL_RATE_LIMIT_CLOSED",
    });
    await expect(store.refund("closed", [p], 1)).rejects.toThrow(/after close/);
    await expect(store.reset("closed", [p])).rejects.toThrow(/after close/);
  });
});
