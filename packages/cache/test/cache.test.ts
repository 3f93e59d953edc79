import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCache } from "../src/cache.js";
import type { Cache } from "../src/cache-api.js";
import type { CacheOptions } from "../src/options.js";
import { memoryStore } from "../src/stores/memory.js";
import { createFakeClock, type FakeClock } from "../src/testing/index.js";
import type { CacheStore } from "../src/types.js";
import { chaosStore } from "./support/chaos-store.js";

const kinds: [string, (clock: FakeClock) => CacheStore][] = [
  ["memory store (synchronous path)", (clock) => memoryStore({ clock })],
  ["async store (remote path)", (clock) => chaosStore(memoryStore({ clock }))],
];

describe.each(kinds)("a cache on a %s", (_kind, makeStore) => {
  let clock: FakeClock;
  let cache: Cache;
  const make = (options: CacheOptions = {}): Cache => {
    cache = createCache({ clock, store: makeStore(clock), ...options });
    return cache;
  };

  beforeEach(() => {
    clock = createFakeClock();
    make();
  });
  afterEach(async () => {
    await cache.close();
  });

  it("answers undefined for a key it never saw, and counts a miss", async () => {
    expect(await cache.get("nope")).toBeUndefined();
    const stats = await cache.getStats();
    expect(stats).toMatchObject({ hits: 0, misses: 1, hitRatio: 0, size: 0 });
  });

  it("returns a value until exactly its TTL has passed", async () => {
    await cache.set("k", { n: 1 }, 10);
    clock.advance(9_999);
    expect(await cache.get("k")).toEqual({ n: 1 });
    clock.advance(1);
    expect(await cache.get("k")).toBeUndefined();
  });

  it("takes fractional TTLs in seconds", async () => {
    await cache.set("k", "v", 0.25);
    clock.advance(249);
    expect(await cache.has("k")).toBe(true);
    clock.advance(1);
    expect(await cache.has("k")).toBe(false);
  });

  it("uses defaultTtl when a write names no TTL, and 300 seconds by default", async () => {
    await cache.set("default", 1);
    await cache.set("options-without-ttl", 1, { tags: ["t"] });
    clock.advance(299_999);
    expect(await cache.get("default")).toBe(1);
    expect(await cache.get("options-without-ttl")).toBe(1);
    clock.advance(1);
    expect(await cache.get("default")).toBeUndefined();
    await cache.close();
    make({ defaultTtl: 2 });
    await cache.set("k", 1);
    clock.advance(2_000);
    expect(await cache.get("k")).toBeUndefined();
  });

  it("caches null, zero, false and empty strings as values", async () => {
    for (const [key, value] of [
      ["null", null],
      ["zero", 0],
      ["false", false],
      ["empty", ""],
    ] as const) {
      await cache.set(key, value);
      expect(await cache.get(key)).toBe(value);
      expect(await cache.has(key)).toBe(true);
    }
  });

  it("never returns a value in its stale period from get or has", async () => {
    await cache.set("k", "old", { ttl: 1, staleTtl: 60 });
    clock.advance(1_000);
    expect(await cache.get("k")).toBeUndefined();
    expect(await cache.has("k")).toBe(false);
  });

  it("deletes a key and says whether it was there", async () => {
    await cache.set("k", 1);
    expect(await cache.delete("k")).toBe(true);
    expect(await cache.delete("k")).toBe(false);
    expect(await cache.get("k")).toBeUndefined();
    expect((await cache.getStats()).deletes).toBe(1);
  });

  it("clears every entry", async () => {
    await cache.set("a", 1);
    await cache.set("b", 2);
    await cache.clear();
    expect(await cache.get("a")).toBeUndefined();
    expect((await cache.getStats()).size).toBe(0);
  });

  it("invalidates keys by glob and counts them as deletes", async () => {
    for (const key of ["/modules", "/modules/a", "/modules/b", "/tutorials/a"]) await cache.set(key, key);
    expect(await cache.invalidate("/modules/*")).toBe(2);
    expect(await cache.get("/modules")).toBe("/modules");
    expect(await cache.get("/modules/a")).toBeUndefined();
    expect((await cache.getStats()).deletes).toBe(2);
  });

  it("invalidates entries by tag", async () => {
    await cache.set("a", 1, { tags: ["modules", "user:1"] });
    await cache.set("b", 2, { tags: ["modules"] });
    await cache.set("c", 3, { tags: [] });
    expect(await cache.invalidateTags(["modules", "modules"])).toBe(2);
    expect(await cache.get("c")).toBe(3);
    expect(await cache.invalidateTags([])).toBe(0);
  });

  it("iterates keys, all or by pattern", async () => {
    for (const key of ["u:1", "u:2", "x"]) await cache.set(key, 1);
    const all: string[] = [];
    for await (const key of cache.keys()) all.push(key);
    const users: string[] = [];
    for await (const key of cache.keys("u:*")) users.push(key);
    expect(all.sort()).toEqual(["u:1", "u:2", "x"]);
    expect(users.sort()).toEqual(["u:1", "u:2"]);
  });

  it("stops iterating keys early without leaking", async () => {
    for (let i = 0; i < 10; i++) await cache.set(`k${i}`, i);
    let seen = 0;
    for await (const _key of cache.keys()) {
      if (++seen === 3) break;
    }
    expect(seen).toBe(3);
  });

  it("counts hits, misses, sets and the ratio", async () => {
    await cache.set("a", 1);
    await cache.set("b", 2);
    await cache.get("a");
    await cache.get("a");
    await cache.get("b");
    await cache.get("missing");
    await cache.has("a"); // has counts nothing
    const stats = await cache.getStats();
    expect(stats).toEqual({
      hits: 3,
      misses: 1,
      hitRatio: 0.75,
      sets: 2,
      deletes: 0,
      evictions: 0,
      errors: 0,
      size: 2,
    });
  });

  it("emits hit, miss, set and delete events to listeners until they unsubscribe", async () => {
    const heard: string[] = [];
    const offs = [
      cache.events.on("hit", ({ key, stale }) => heard.push(`hit ${key} ${stale}`)),
      cache.events.on("miss", ({ key }) => heard.push(`miss ${key}`)),
      cache.events.on("set", ({ key, ttl }) => heard.push(`set ${key} ${ttl}`)),
      cache.events.on("delete", (event) => heard.push(`delete ${JSON.stringify(event)}`)),
    ];
    await cache.set("a", 1, 5);
    await cache.get("a");
    await cache.get("b");
    await cache.delete("a");
    await cache.invalidate("x*");
    await cache.invalidateTags(["t"]);
    await cache.clear();
    for (const off of offs) off();
    await cache.get("a");
    expect(heard).toEqual([
      "set a 5",
      "hit a false",
      "miss b",
      'delete {"operation":"delete","key":"a","count":1}',
      'delete {"operation":"invalidate","pattern":"x*","count":0}',
      'delete {"operation":"invalidateTags","tags":["t"],"count":0}',
      'delete {"operation":"clear"}',
    ]);
  });

  it("removes only the listener passed to off", async () => {
    const heard: string[] = [];
    const first = () => heard.push("first");
    cache.events.on("miss", first);
    cache.events.on("miss", () => heard.push("second"));
    cache.events.off("miss", first);
    await cache.get("x");
    expect(heard).toEqual(["second"]);
  });

  it("rejects every call after close, and closes once", async () => {
    await cache.close();
    await cache.close();
    const closed = expect.objectContaining({ code: "ERR_KEEL_CACHE_CLOSED" });
    await expect(cache.get("k")).rejects.toEqual(closed);
    await expect(cache.set("k", 1)).rejects.toEqual(closed);
    await expect(cache.has("k")).rejects.toEqual(closed);
    await expect(cache.delete("k")).rejects.toEqual(closed);
    await expect(cache.clear()).rejects.toEqual(closed);
    await expect(cache.getOrSet("k", () => 1)).rejects.toEqual(closed);
    await expect(cache.invalidate("*")).rejects.toEqual(closed);
    await expect(cache.invalidateTags(["t"])).rejects.toEqual(closed);
    expect(() => cache.keys()).toThrow(closed);
    expect((await cache.getStats()).size).toBeUndefined();
  });
});

describe("the synchronous path of the memory store", () => {
  it("hands back the very object that was stored: values are live, not copies", async () => {
    const cache = createCache();
    const value = { list: [1] };
    await cache.set("k", value);
    expect(await cache.get("k")).toBe(value);
    await cache.close();
  });

  it("frees an entry read past its stale period and reports it expired", async () => {
    const clock = createFakeClock();
    const cache = createCache({ clock });
    const evicted: string[] = [];
    cache.events.on("evict", ({ key, reason }) => evicted.push(`${key}:${reason}`));
    await cache.set("k", 1, { ttl: 1, staleTtl: 1 });
    clock.advance(2_000);
    expect(await cache.get("k")).toBeUndefined();
    expect(evicted).toEqual(["k:expired"]);
    expect((await cache.getStats()).size).toBe(0);
  });

  it("counts and emits capacity evictions of a bounded store", async () => {
    const cache = createCache({ store: memoryStore({ max: 2 }) });
    const evicted: string[] = [];
    cache.events.on("evict", ({ key, reason }) => evicted.push(`${key}:${reason}`));
    await cache.set("a", 1);
    await cache.set("b", 2);
    await cache.set("c", 3);
    expect(evicted).toEqual(["a:capacity"]);
    expect((await cache.getStats()).evictions).toBe(1);
    await cache.close();
  });

  it("reports a store error when the store cannot take a value, and throws it when strict", async () => {
    const store = () =>
      memoryStore({
        maxSize: 100,
        sizeCalculation: () => {
          throw new Error("cannot size");
        },
      });
    const lenient = createCache({ store: store() });
    const errors: string[] = [];
    lenient.events.on("error", ({ error, operation }) => errors.push(`${operation}:${error.code}`));
    await lenient.set("k", 1);
    expect(await lenient.getOrSet("g", () => 2)).toBe(2);
    expect(errors).toEqual(["set:ERR_KEEL_CACHE_STORE", "getOrSet:ERR_KEEL_CACHE_STORE"]);
    const strict = createCache({ store: store(), strict: true });
    await expect(strict.set("k", 1)).rejects.toMatchObject({ code: "ERR_KEEL_CACHE_STORE" });
  });
});

describe("clocks", () => {
  it("adopts the clock of a memory store given one", async () => {
    const clock = createFakeClock();
    const cache = createCache({ store: memoryStore({ clock }) });
    await cache.set("k", 1, 1);
    clock.advance(1_000);
    expect(await cache.get("k")).toBeUndefined();
  });

  it("gives its clock to a memory store given none", async () => {
    const clock = createFakeClock();
    const store = memoryStore();
    const cache = createCache({ clock, store });
    await cache.set("k", 1, { ttl: 1 });
    clock.advance(1_000);
    expect(await store.get("k")).toBeUndefined();
  });

  it("refuses a memory store and a cache with different clocks", () => {
    const store = memoryStore({ clock: createFakeClock() });
    expect(() => createCache({ clock: createFakeClock(), store })).toThrow(
      expect.objectContaining({ code: "ERR_KEEL_CACHE_OPTION" }),
    );
  });
});
