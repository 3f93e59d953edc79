import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { liveAccessOf } from "../../src/live-access.js";
import { memoryStore } from "../../src/stores/memory.js";
import { createFakeClock, runCacheStoreConformance } from "../../src/testing/index.js";
import type { CacheEntry, CacheStore, EvictionReason } from "../../src/types.js";

const conformanceClock = createFakeClock();
runCacheStoreConformance({
  name: "memoryStore (fake clock)",
  clock: conformanceClock,
  createStore: () => memoryStore({ clock: conformanceClock }),
  createBoundedStore: (max) => memoryStore({ max, clock: conformanceClock }),
});

runCacheStoreConformance({ name: "memoryStore (real time)", createStore: () => memoryStore() });

const clock = createFakeClock();
const entry = (value: unknown, ttlMs = 60_000, tags?: string[], staleMs = 0): CacheEntry => {
  const expiresAt = clock.now() + ttlMs;
  const base = { value, expiresAt, staleUntil: expiresAt + staleMs };
  return tags === undefined ? base : { ...base, tags };
};
const sizes = (store: CacheStore) => liveAccessOf(store)!.indexSizes();
const evictionsOf = (store: CacheStore) => {
  const heard: string[] = [];
  store.onEvict((key: string, reason: EvictionReason) => heard.push(`${key}:${reason}`));
  return heard;
};

describe("memoryStore", () => {
  it("holds 10,000 entries by default and evicts the least recently used past that", async () => {
    const store = memoryStore({ clock });
    const heard = evictionsOf(store);
    for (let i = 0; i < 10_000; i++) await store.set(`k${i}`, entry(i));
    await store.get("k0"); // now the most recently used
    await store.set("one-more", entry(1));
    expect(await store.size()).toBe(10_000);
    expect(heard).toEqual(["k1:capacity"]);
    await store.close();
  });

  it("cleans the tag index when entries are evicted, deleted, replaced or cleared", async () => {
    const store = memoryStore({ max: 3, clock });
    for (let i = 0; i < 100; i++) await store.set(`k${i}`, entry(i, 60_000, [`tag${i}`, "all"]));
    expect(sizes(store)).toEqual({ keys: 3, tags: 4, taggedKeys: 6 });
    await store.set("k99", entry("untagged"));
    expect(sizes(store)).toEqual({ keys: 3, tags: 3, taggedKeys: 4 });
    await store.delete("k98");
    expect(sizes(store)).toEqual({ keys: 2, tags: 2, taggedKeys: 2 });
    await store.clear();
    expect(sizes(store)).toEqual({ keys: 0, tags: 0, taggedKeys: 0 });
  });

  it("bounds the total size when maxSize is set, with a default byte estimate", async () => {
    const store = memoryStore({ maxSize: 1_000, clock });
    const heard = evictionsOf(store);
    for (let i = 0; i < 50; i++) await store.set(`k${i}`, entry("x".repeat(100)));
    expect(await store.size()).toBeLessThan(10);
    expect(heard.length).toBeGreaterThan(40);
  });

  it("uses a given sizeCalculation, and reports an entry too large to hold as a capacity eviction", async () => {
    const store = memoryStore({ maxSize: 10, sizeCalculation: (value) => String(value).length, clock });
    const heard = evictionsOf(store);
    await store.set("small", entry("12345"));
    await store.set("small", entry("this is far too long"));
    expect(await store.get("small")).toBeUndefined();
    expect(heard).toEqual(["small:capacity"]);
    expect(sizes(store).keys).toBe(0);
    await store.set("tagged", entry("x", 60_000, ["t"]));
    await store.set("tagged", entry("this is far too long", 60_000, ["t"]));
    expect(sizes(store)).toEqual({ keys: 0, tags: 0, taggedKeys: 0 });
  });

  it("refuses a size that is not a positive number", async () => {
    const store = memoryStore({ maxSize: 10, sizeCalculation: () => Number.NaN });
    await expect(store.set("k", entry(1))).rejects.toMatchObject({ code: "ERR_KEEL_CACHE_ARGUMENT" });
  });

  it("rejects every call after close", async () => {
    const store = memoryStore();
    await store.close();
    for (const call of [
      () => store.get("k"),
      () => store.set("k", entry(1)),
      () => store.delete("k"),
      () => store.clear(),
      () => store.size(),
      () => store.invalidate("*"),
      () => store.invalidateTags(["t"]),
      () => store.keys()[Symbol.asyncIterator]().next(),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: "ERR_KEEL_CACHE_CLOSED" });
    }
  });

  it("refuses invalid options, naming them", () => {
    const cases: [unknown, RegExp][] = [
      [null, /options must be an object/],
      [{ maxEntries: 5 }, /unknown option "maxEntries"/],
      [{ max: 0 }, /max must be a positive integer/],
      [{ max: 1.5 }, /max must be a positive integer/],
      [{ max: Number.POSITIVE_INFINITY }, /max must be a positive integer/],
      [{ maxSize: -1 }, /maxSize must be a positive integer/],
      [{ maxSize: 10, sizeCalculation: 5 }, /sizeCalculation must be a function/],
      [{ sizeCalculation: () => 1 }, /sizeCalculation needs maxSize/],
      [{ sweepInterval: 0 }, /sweepInterval/],
      [{ sweepInterval: 10_000_000 }, /sweepInterval/],
      [{ clock: {} }, /clock must be an object with a now\(\) method/],
    ];
    for (const [options, message] of cases) {
      expect(() => memoryStore(options as never)).toThrow(message);
      expect(() => memoryStore(options as never)).toThrow(
        expect.objectContaining({ code: "ERR_KEEL_CACHE_OPTION" }),
      );
    }
  });
});

describe("memoryStore sweep", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("frees entries past their stale period every 60 seconds by default, reporting them expired", async () => {
    const store = memoryStore({ clock });
    const heard = evictionsOf(store);
    await store.set("short", entry(1, 1_000, ["t"]));
    await store.set("stale", entry(1, 1_000, undefined, 120_000));
    await store.set("long", entry(1, 3_600_000));
    clock.advance(2_000);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(await store.size()).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(heard).toEqual(["short:expired"]);
    expect(await store.size()).toBe(2);
    expect(sizes(store).tags).toBe(0);
    await store.close();
  });

  it("sweeps at the configured interval, on a timer that never keeps the process alive", async () => {
    const setInterval = vi.spyOn(globalThis, "setInterval");
    const store = memoryStore({ clock, sweepInterval: 5 });
    const timer = setInterval.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    await store.set("k", entry(1, 1_000));
    clock.advance(1_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await store.size()).toBe(0);
    await store.close();
    expect(vi.getTimerCount()).toBe(0);
    setInterval.mockRestore();
  });
});
