import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import { CacheError } from "../../src/errors.js";
import type { Serializer } from "../../src/serializer.js";
import { type RedisStoreOptions, redisStore } from "../../src/stores/redis.js";
import type { CacheEntry } from "../../src/types.js";
import { CLIENT_NAMES, connectClient, type TestClient } from "./redis-clients.js";

const hasRedis = await redisAvailable();
const MINUTE = 60_000;

function entry(value: unknown, lifetimeMs = MINUTE, tags?: string[]): CacheEntry {
  const now = Date.now();
  const base = { value, expiresAt: now + lifetimeMs, staleUntil: now + lifetimeMs };
  return tags === undefined ? base : { ...base, tags };
}

const commandsNamed = (sent: string[][], name: string): number =>
  sent.filter((args) => args[0] === name).length;

describe.skipIf(!hasRedis).each(CLIENT_NAMES)("redisStore on %s", (clientName) => {
  let redis: TestClient;
  let prefix: string;
  const store = (options: Partial<RedisStoreOptions> = {}) =>
    redisStore({ client: redis.client, prefix, ...options });

  beforeAll(async () => {
    redis = await connectClient(clientName, REDIS_URL);
  });
  beforeEach(() => {
    prefix = uniquePrefix(`cache-redis-${clientName}`);
    redis.sent.length = 0;
  });
  afterAll(async () => {
    await redis.close();
  });

  it("answers a get with exactly one round trip, hit or miss", async () => {
    const s = store();
    await s.set("user:1", entry({ name: "Ada", since: new Date(0) }, MINUTE, ["users"]));
    redis.sent.length = 0;
    expect(await s.get("user:1")).toMatchObject({
      value: { name: "Ada", since: new Date(0) },
      tags: ["users"],
    });
    expect(await s.get("user:2")).toBeUndefined();
    expect(redis.sent).toEqual([
      ["GET", `${prefix}entry:user:1`],
      ["GET", `${prefix}entry:user:2`],
    ]);
  });

  it("writes an untagged entry with one SET PX and a tagged one with one script call", async () => {
    const s = store();
    await s.set("warm-up", entry(0, MINUTE, ["t"]));
    redis.sent.length = 0;
    await s.set("plain", entry(1));
    await s.set("tagged", entry(2, MINUTE, ["a", "b", "a"]));
    expect(redis.sent).toHaveLength(2);
    expect(redis.sent[0]?.slice(0, 2)).toEqual(["SET", `${prefix}entry:plain`]);
    expect(redis.sent[0]?.[3]).toBe("PX");
    expect(Number(redis.sent[0]?.[4])).toBeGreaterThan(MINUTE - 1000);
    expect(redis.sent[1]?.[0]).toBe("EVALSHA");
    expect(redis.sent[1]?.slice(2, 6)).toEqual([
      "3",
      `${prefix}entry:tagged`,
      `${prefix}tag:a`,
      `${prefix}tag:b`,
    ]);
  });

  it("lets Redis expire an entry at its staleUntil, not at expiresAt", async () => {
    const s = store();
    const now = Date.now();
    await s.set("k", { value: 1, expiresAt: now + 1000, staleUntil: now + 10 * MINUTE });
    const ttl = Number(await redis.command(["PTTL", `${prefix}entry:k`]));
    expect(ttl).toBeGreaterThan(9 * MINUTE);
    expect(ttl).toBeLessThanOrEqual(10 * MINUTE);
    expect(await s.get("k")).toEqual({ value: 1, expiresAt: now + 1000, staleUntil: now + 10 * MINUTE });
  });

  it("keeps tags absent, empty or listed exactly as given", async () => {
    const s = store();
    const now = Date.now() + MINUTE;
    for (const tags of [undefined, [], ["é", "a,b", "1,", "multi\nline"]]) {
      const e: CacheEntry =
        tags === undefined
          ? { value: 1, expiresAt: now, staleUntil: now }
          : { value: 1, expiresAt: now, staleUntil: now, tags };
      await s.set("k", e);
      expect(await s.get("k")).toStrictEqual(e);
    }
  });

  it("gives each tag set the lifetime of its longest-lived entry", async () => {
    const s = store();
    await s.set("short", entry(1, MINUTE, ["t"]));
    const first = Number(await redis.command(["PTTL", `${prefix}tag:t`]));
    expect(first).toBeGreaterThan(MINUTE - 1000);
    expect(first).toBeLessThanOrEqual(MINUTE);
    await s.set("long", entry(2, 10 * MINUTE, ["t"]));
    await s.set("shorter", entry(3, 1000, ["t"]));
    const extended = Number(await redis.command(["PTTL", `${prefix}tag:t`]));
    expect(extended).toBeGreaterThan(9 * MINUTE);
    expect(await redis.command(["SCARD", `${prefix}tag:t`])).toBe(3);
  });

  it("removes a tag set's members whose entries are gone as new members arrive", async () => {
    const s = store();
    for (let i = 0; i < 20; i++) await s.set(`old:${i}`, entry(i, MINUTE, ["busy"]));
    for (let i = 0; i < 20; i++) await s.delete(`old:${i}`);
    for (let i = 0; i < 40; i++) await s.set(`new:${i}`, entry(i, MINUTE, ["busy"]));
    // Each tagged write samples 3 members and drops dead ones: far fewer than the 20 dead remain.
    const size = Number(await redis.command(["SCARD", `${prefix}tag:busy`]));
    expect(size).toBeLessThan(40 + 10);
    expect(size).toBeGreaterThanOrEqual(40);
  });

  it("invalidates tags, counting each removed entry once, and drops the emptied tag sets", async () => {
    const s = store();
    await s.set("a", entry(1, MINUTE, ["x", "y"]));
    await s.set("b", entry(2, MINUTE, ["y"]));
    await s.set("c", entry(3, MINUTE, ["z"]));
    expect(await s.invalidateTags(["x", "y", "missing"])).toBe(2);
    expect(await s.get("a")).toBeUndefined();
    expect(await s.get("b")).toBeUndefined();
    expect(await s.get("c")).toBeDefined();
    expect(await redis.command(["EXISTS", `${prefix}tag:x`, `${prefix}tag:y`])).toBe(0);
  });

  it("spares an entry rewritten without the tag, even after its old self expired", async () => {
    const s = store();
    await s.set("k", entry("tagged", MINUTE, ["t"]));
    await s.set("k", entry("untagged"));
    await s.set("j", entry("j", MINUTE, ["t"]));
    await s.delete("j");
    await s.set("j", entry("j again", MINUTE, ["other"]));
    expect(await s.invalidateTags(["t"])).toBe(0);
    expect((await s.get("k"))?.value).toBe("untagged");
    expect((await s.get("j"))?.value).toBe("j again");
  });

  it("finds a tag even when the tag list is longer than the 1 KiB header read", async () => {
    const s = store();
    const tags = Array.from({ length: 40 }, (_, i) => `${"long-tag-".repeat(4)}${i}`);
    await s.set("k", entry(1, MINUTE, tags));
    expect(await s.invalidateTags([tags[39] as string])).toBe(1);
    expect(await s.get("k")).toBeUndefined();
  });

  it("invalidates a pattern over many keys in SCAN batches, never with KEYS", async () => {
    const s = store({ scanCount: 500 });
    const total = 3000;
    for (let i = 0; i < total; i += 500) {
      await Promise.all(Array.from({ length: 500 }, (_, j) => s.set(`/modules/${i + j}`, entry(i + j))));
    }
    await s.set("/tutorials/1", entry("kept"));
    redis.sent.length = 0;
    expect(await s.invalidate("/modules/*")).toBe(total);
    expect(commandsNamed(redis.sent, "KEYS")).toBe(0);
    const scans = redis.sent.filter((args) => args[0] === "SCAN");
    const unlinks = redis.sent.filter((args) => args[0] === "UNLINK");
    expect(scans.length).toBeGreaterThanOrEqual(total / 500);
    expect(scans.every((args) => args.at(-1) === "500")).toBe(true);
    expect(unlinks.length).toBeGreaterThanOrEqual(total / 250);
    expect(Math.max(...unlinks.map((args) => args.length - 1))).toBeLessThanOrEqual(250);
    expect(await s.get("/tutorials/1")).toBeDefined();
    expect(await s.size()).toBe(1);
  });

  it("confirms `?` matches per character, where Redis would count bytes", async () => {
    const s = store();
    for (const key of ["user:é", "user:a", "user:ab", "user:😀", "other:a"]) await s.set(key, entry(key));
    expect(await s.invalidate("user:?")).toBe(3);
    expect((await s.get("user:ab"))?.value).toBe("user:ab");
    expect(await s.get("user:😀")).toBeUndefined();
  });

  it("treats glob characters in keys and in the prefix literally", async () => {
    prefix = `${uniquePrefix("cache-redis-glob")}[*?]\\`;
    const s = store();
    await s.set("a[1]*", entry(1));
    await s.set("a1", entry(2));
    expect(await s.invalidate("a\\[1\\]\\*")).toBe(1);
    expect(await s.invalidate("a[1]\\*")).toBe(0);
    expect((await s.get("a1"))?.value).toBe(2);
    expect(await s.size()).toBe(1);
  });

  it("removes an exact key with one UNLINK instead of a scan", async () => {
    const s = store();
    await s.set("exact", entry(1));
    redis.sent.length = 0;
    expect(await s.invalidate("exact")).toBe(1);
    expect(redis.sent).toEqual([["UNLINK", `${prefix}entry:exact`]]);
  });

  it("clears only its own prefix, tag sets included", async () => {
    const mine = store();
    const theirs = redisStore({ client: redis.client, prefix: uniquePrefix("cache-redis-theirs") });
    await mine.set("k", entry(1, MINUTE, ["t"]));
    await theirs.set("k", entry(2, MINUTE, ["t"]));
    await mine.clear();
    expect(await mine.get("k")).toBeUndefined();
    expect(await mine.size()).toBe(0);
    expect(await redis.command(["EXISTS", `${prefix}tag:t`])).toBe(0);
    expect((await theirs.get("k"))?.value).toBe(2);
    expect(await theirs.invalidateTags(["t"])).toBe(1);
    expect(commandsNamed(redis.sent, "FLUSHDB") + commandsNamed(redis.sent, "FLUSHALL")).toBe(0);
  });

  it("iterates keys lazily: stopping after the first key stops the SCAN walk", async () => {
    const s = store({ scanCount: 10 });
    for (let i = 0; i < 50; i++) await s.set(`k${i}`, entry(i, MINUTE, ["t"]));
    const all: string[] = [];
    redis.sent.length = 0;
    for await (const key of s.keys("k*")) all.push(key);
    const fullWalk = commandsNamed(redis.sent, "SCAN");
    // SCAN may repeat a key while Redis resizes its table (other suites share this Redis), as the
    // store's documentation says; every key must come at least once.
    expect([...new Set(all)].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `k${i}`).sort());
    redis.sent.length = 0;
    for await (const key of s.keys("k*")) {
      expect(key.startsWith("k")).toBe(true);
      break;
    }
    expect(commandsNamed(redis.sent, "SCAN")).toBeGreaterThanOrEqual(1);
    expect(commandsNamed(redis.sent, "SCAN")).toBeLessThan(fullWalk);
  });

  it("round-trips binary values through a serializer that returns Buffers", async () => {
    const raw: Serializer = { serialize: (v) => Buffer.from(v as Uint8Array), deserialize: (d) => d };
    const s = store({ serializer: raw });
    const bytes = Buffer.from([0xff, 0x00, 0x2c, 0x0a, 0xc3]);
    await s.set("bin", entry(bytes, MINUTE, ["t"]));
    expect((await s.get("bin"))?.value).toEqual(bytes);
  });

  it("reports an entry read back past staleUntil by its clock as expired, and returns nothing", async () => {
    let now = Date.now();
    const s = store({ clock: { now: () => now } });
    const evicted: [string, string][] = [];
    const stop = s.onEvict((key, reason) => evicted.push([key, reason]));
    await s.set("k", { value: 1, expiresAt: now + 1000, staleUntil: now + 2000 });
    now += 2000;
    expect(await s.get("k")).toBeUndefined();
    expect(evicted).toEqual([["k", "expired"]]);
    stop();
    expect(await s.get("k")).toBeUndefined();
    expect(evicted).toHaveLength(1);
  });

  it("replaces the previous entry with nothing when asked to store one already past staleUntil", async () => {
    const s = store();
    await s.set("k", entry(1));
    const past = Date.now() - 1;
    await s.set("k", { value: 2, expiresAt: past, staleUntil: past });
    expect(await redis.command(["EXISTS", `${prefix}entry:k`])).toBe(0);
  });

  it("stores an entry with a lifetime too long for PX without expiry", async () => {
    const s = store();
    await s.set("forever", {
      value: 1,
      expiresAt: Number.MAX_VALUE,
      staleUntil: Number.MAX_VALUE,
      tags: ["f"],
    });
    expect(await redis.command(["PTTL", `${prefix}entry:forever`])).toBe(-1);
    expect(await redis.command(["PTTL", `${prefix}tag:f`])).toBe(-1);
    expect((await s.get("forever"))?.staleUntil).toBe(Number.MAX_VALUE);
    await s.clear();
  });

  it("refuses calls after close() and leaves the client open", async () => {
    const s = store();
    await s.close();
    await expect(s.get("k")).rejects.toMatchObject({ code: "ERR_KEEL_CACHE_CLOSED" });
    await expect(s.keys()[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(CacheError);
    expect(await redis.command(["PING"])).toBe("PONG");
  });

  it("reads an entry another client wrote with the same prefix", async () => {
    const other = await connectClient(clientName === "ioredis" ? "node-redis" : "ioredis", REDIS_URL);
    try {
      await redisStore({ client: other.client, prefix }).set("shared", entry(new Map([[1, new Set(["x"])]])));
      expect((await store().get("shared"))?.value).toEqual(new Map([[1, new Set(["x"])]]));
    } finally {
      await other.close();
    }
  });
});
