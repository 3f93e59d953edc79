import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createCache } from "../src/cache.js";
import type { Cache } from "../src/cache-api.js";
import { CacheError } from "../src/errors.js";
import type { CacheEvents } from "../src/events.js";
import { memoryStore } from "../src/stores/memory.js";
import { type ChaosStore, chaosStore } from "./support/chaos-store.js";

describe("a cache whose store fails", () => {
  let store: ChaosStore;
  let cache: Cache;
  let errors: CacheEvents["error"][];
  const make = (strict = false) => {
    store = chaosStore(memoryStore());
    cache = createCache({ store, strict });
    errors = [];
    cache.events.on("error", (event) => errors.push(event));
  };

  beforeEach(() => make());
  afterEach(async () => {
    store.mode("ok");
    await cache.close();
  });

  it("treats a failed read as a miss, and counts and emits the error with its cause", async () => {
    await cache.set("k", 1);
    store.mode("fail", ["get"]);
    expect(await cache.get("k")).toBeUndefined();
    expect(await cache.has("k")).toBe(false);
    expect(errors.map((e) => [e.operation, e.key, e.error.code])).toEqual([
      ["get", "k", "ERR_KEEL_CACHE_STORE"],
      ["has", "k", "ERR_KEEL_CACHE_STORE"],
    ]);
    expect(errors[0]?.error.cause).toEqual(new Error("chaos: get failed"));
    expect(errors[0]?.error.message).toContain("chaos store failed get");
    expect(await cache.getStats()).toMatchObject({ misses: 1, errors: 2 });
  });

  it("answers getOrSet from fetchFn when the store can neither read nor write", async () => {
    store.mode("fail", ["get", "set"]);
    let calls = 0;
    expect(await cache.getOrSet("k", () => ++calls)).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors.map((e) => e.operation)).toEqual(["getOrSet", "getOrSet"]);
    expect((await cache.getStats()).errors).toBe(2);
  });

  it("reports failed writes and resolves them with a neutral answer", async () => {
    store.mode("fail");
    await cache.set("k", 1);
    expect(await cache.delete("k")).toBe(false);
    await cache.clear();
    expect(await cache.invalidate("*")).toBe(0);
    expect(await cache.invalidateTags(["t"])).toBe(0);
    expect(errors.map((e) => e.operation)).toEqual([
      "set",
      "delete",
      "clear",
      "invalidate",
      "invalidateTags",
    ]);
    expect(await cache.getStats()).toMatchObject({ sets: 0, deletes: 0, errors: 6, size: undefined });
  });

  it("rejects failed writes when strict, and still never throws on reads", async () => {
    make(true);
    store.mode("fail");
    const failure = expect.objectContaining({ code: "ERR_KEEL_CACHE_STORE" });
    await expect(cache.set("k", 1)).rejects.toEqual(failure);
    await expect(cache.delete("k")).rejects.toEqual(failure);
    await expect(cache.clear()).rejects.toEqual(failure);
    await expect(cache.invalidate("*")).rejects.toEqual(failure);
    await expect(cache.invalidateTags(["t"])).rejects.toEqual(failure);
    expect(await cache.get("k")).toBeUndefined();
    expect(await cache.getOrSet("k", () => "fetched")).toBe("fetched");
    expect(errors).toHaveLength(8);
  });

  it("ends a key iteration with the store's error, counted", async () => {
    await cache.set("a", 1);
    store.mode("fail", ["keys"]);
    const iterate = async () => {
      for await (const _key of cache.keys()) {
        // unreachable
      }
    };
    await expect(iterate()).rejects.toBeInstanceOf(CacheError);
    expect(errors.map((e) => e.operation)).toEqual(["keys"]);
  });

  it("rejects close when the store cannot close, and counts it", async () => {
    const failing = chaosStore(memoryStore());
    const local = createCache({ store: failing });
    failing.mode("fail", ["close"]);
    await expect(local.close()).rejects.toMatchObject({ code: "ERR_KEEL_CACHE_STORE" });
    expect((await local.getStats()).errors).toBe(1);
  });

  it("wraps a store that throws instead of rejecting", async () => {
    const throwing = chaosStore(memoryStore());
    throwing.get = () => {
      throw new Error("sync throw");
    };
    const local = createCache({ store: throwing });
    expect(await local.get("k")).toBeUndefined();
    expect((await local.getStats()).errors).toBe(1);
  });

  it("keeps a CacheError a store throws as it is", async () => {
    const typed = chaosStore(memoryStore());
    const original = new CacheError("ERR_KEEL_CACHE_SERIALIZE", "bad bytes");
    typed.get = () => Promise.reject(original);
    const local = createCache({ store: typed });
    const seen: CacheError[] = [];
    local.events.on("error", ({ error }) => seen.push(error));
    await local.get("k");
    expect(seen).toEqual([original]);
  });
});

describe("a cache whose store hangs", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("gives up on a read after storeTimeout (200 ms by default): a miss, and fetchFn answers", async () => {
    const store = chaosStore(memoryStore());
    const cache = createCache({ store });
    const codes: string[] = [];
    cache.events.on("error", ({ error }) => codes.push(error.code));
    store.mode("hang", ["get", "set"]);
    const read = cache.get("k");
    await vi.advanceTimersByTimeAsync(199);
    expect(codes).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await read).toBeUndefined();
    const fetched = cache.getOrSet("k", () => "fetched");
    await vi.advanceTimersByTimeAsync(200);
    expect(await fetched).toBe("fetched");
    await vi.advanceTimersByTimeAsync(200);
    expect(codes).toEqual([
      "ERR_KEEL_CACHE_STORE_TIMEOUT",
      "ERR_KEEL_CACHE_STORE_TIMEOUT",
      "ERR_KEEL_CACHE_STORE_TIMEOUT",
    ]);
  });

  it("applies a configured storeTimeout to writes, and throws on them when strict", async () => {
    const store = chaosStore(memoryStore());
    const cache = createCache({ store, storeTimeout: 50, strict: true, clock: { now: () => 0 } });
    const timers = vi.getTimerCount(); // the store's sweep
    store.mode("hang", ["set"]);
    const write = cache.set("k", 1);
    const outcome = expect(write).rejects.toMatchObject({ code: "ERR_KEEL_CACHE_STORE_TIMEOUT" });
    await vi.advanceTimersByTimeAsync(50);
    await outcome;
    expect(vi.getTimerCount()).toBe(timers);
  });

  it("keeps one deadline timer for all its store calls, and none once they have answered", async () => {
    const clock = { now: () => 0 };
    const store = chaosStore(memoryStore({ clock }));
    const cache = createCache({ store, clock });
    const timers = vi.getTimerCount(); // the store's sweep
    for (let i = 0; i < 100; i++) {
      await cache.set(`k${i}`, i);
      expect(await cache.get(`k${i}`)).toBe(i);
    }
    expect(vi.getTimerCount()).toBe(timers + 1);
    // The deadline timer fires once (default storeTimeout, 200 ms), finds nothing, and is not armed again.
    await vi.advanceTimersByTimeAsync(200);
    expect(vi.getTimerCount()).toBe(timers);
  });
});
