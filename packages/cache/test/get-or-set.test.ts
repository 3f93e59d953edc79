import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCache } from "../src/cache.js";
import type { Cache } from "../src/cache-api.js";
import { memoryStore } from "../src/stores/memory.js";
import { createFakeClock, type FakeClock } from "../src/testing/index.js";
import { type ChaosStore, chaosStore } from "./support/chaos-store.js";

/** A fetchFn whose calls are counted and whose results the test settles by hand. */
function controlledFetch<T>() {
  const pending: { resolve: (value: T) => void; reject: (error: unknown) => void }[] = [];
  let calls = 0;
  const fetchFn = (): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      calls++;
      pending.push({ resolve, reject });
    });
  return {
    fetchFn,
    get calls() {
      return calls;
    },
    resolve: (value: T) => pending.shift()?.resolve(value),
    reject: (error: unknown) => pending.shift()?.reject(error),
  };
}

/** Lets every queued promise callback run (a few rounds of microtasks and one macrotask). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

let remote: ChaosStore | undefined;
const kinds: [string, (clock: FakeClock) => Cache][] = [
  ["memory store", (clock) => createCache({ clock })],
  [
    "async store",
    (clock) => {
      remote = chaosStore(memoryStore({ clock }));
      return createCache({ clock, store: remote });
    },
  ],
];

describe.each(kinds)("getOrSet on a %s", (kind, make) => {
  let clock: FakeClock;
  let cache: Cache;
  beforeEach(() => {
    clock = createFakeClock();
    remote = undefined;
    cache = make(clock);
  });
  afterEach(async () => {
    await cache.close();
  });

  it("answers from the cache without calling fetchFn", async () => {
    await cache.set("k", "cached");
    let calls = 0;
    expect(await cache.getOrSet("k", () => ++calls)).toBe("cached");
    expect(calls).toBe(0);
  });

  it("fetches a miss once, stores it for its TTL, then fetches again", async () => {
    let calls = 0;
    const fetch = () => ++calls;
    expect(await cache.getOrSet("k", fetch, 10)).toBe(1);
    await settle(); // a remote store's write lands; a caller arriving before it joins the fetch (a miss)
    expect(await cache.getOrSet("k", fetch, 10)).toBe(1);
    clock.advance(10_000);
    expect(await cache.getOrSet("k", fetch, 10)).toBe(2);
    expect(await cache.getStats()).toMatchObject({ hits: 1, misses: 2, sets: 2 });
  });

  it("runs fetchFn once for 1,000 concurrent misses and gives every caller its result", async () => {
    const fetch = controlledFetch<{ id: number }>();
    const callers = Array.from({ length: 1_000 }, () => cache.getOrSet("hot", fetch.fetchFn, 60));
    await settle();
    expect(fetch.calls).toBe(1);
    fetch.resolve({ id: 7 });
    const results = await Promise.all(callers);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toEqual({ id: 7 });
    expect(await cache.getStats()).toMatchObject({ misses: 1_000, sets: 1 });
    if (remote !== undefined) {
      expect(remote.calls.get).toBe(1); // the stampede shared one store read
      expect(remote.calls.set).toBe(1);
    }
    expect(await cache.getOrSet("hot", fetch.fetchFn)).toEqual({ id: 7 });
    expect(fetch.calls).toBe(1);
  });

  it("hands a rejection to every waiting caller and caches nothing", async () => {
    const fetch = controlledFetch<number>();
    const callers = Array.from({ length: 50 }, () => cache.getOrSet("k", fetch.fetchFn));
    await settle();
    const boom = new Error("database down");
    fetch.reject(boom);
    const outcomes = await Promise.allSettled(callers);
    expect(outcomes.every((o) => o.status === "rejected" && o.reason === boom)).toBe(true);
    expect(await cache.has("k")).toBe(false);
    expect(await cache.getOrSet("k", () => 5)).toBe(5);
    expect((await cache.getStats()).errors).toBe(0); // thrown to the callers, not swallowed
  });

  it("recovers from a fetchFn that throws synchronously", async () => {
    const throwing = () => {
      throw new Error("sync");
    };
    await expect(cache.getOrSet("k", throwing)).rejects.toThrow("sync");
    expect(await cache.getOrSet("k", () => "ok")).toBe("ok");
  });

  it("serves a stale entry while one refresh runs, then the refreshed value", async () => {
    await cache.set("k", "old", { ttl: 10, staleTtl: 60 });
    clock.advance(10_000);
    const fetch = controlledFetch<string>();
    const options = { ttl: 10, staleTtl: 60 };
    const served = await Promise.all(
      Array.from({ length: 100 }, () => cache.getOrSet("k", fetch.fetchFn, options)),
    );
    expect(new Set(served)).toEqual(new Set(["old"]));
    expect(fetch.calls).toBe(1);
    const stale: boolean[] = [];
    cache.events.on("hit", (event) => stale.push(event.stale));
    expect(await cache.getOrSet("k", fetch.fetchFn, options)).toBe("old");
    fetch.resolve("new");
    await settle();
    expect(await cache.getOrSet("k", fetch.fetchFn, options)).toBe("new");
    expect(stale).toEqual([true, false]);
    expect(fetch.calls).toBe(1);
  });

  it("keeps serving the stale value when the refresh fails, and counts the error (grace)", async () => {
    await cache.set("k", "old", { ttl: 10, staleTtl: 60 });
    clock.advance(10_000);
    const codes: string[] = [];
    cache.events.on("error", ({ error }) => codes.push(error.code));
    const fetch = controlledFetch<string>();
    expect(await cache.getOrSet("k", fetch.fetchFn, { ttl: 10, staleTtl: 60 })).toBe("old");
    fetch.reject(new Error("upstream 503"));
    await settle();
    expect(codes).toEqual(["ERR_KEEL_CACHE_FETCH"]);
    expect(await cache.getOrSet("k", fetch.fetchFn, { ttl: 10, staleTtl: 60 })).toBe("old");
    expect(fetch.calls).toBe(2); // a failed refresh leaves no flight behind: the next read retries
    fetch.resolve("new");
    await settle();
    expect(await cache.get("k")).toBe("new");
    expect((await cache.getStats()).errors).toBe(1);
  });

  it("fetches in the foreground once the stale period is over", async () => {
    await cache.set("k", "old", { ttl: 1, staleTtl: 1 });
    clock.advance(2_000);
    await expect(cache.getOrSet("k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.getOrSet("k", () => "new")).toBe("new");
  });

  it("reports a refresh that fails after the stale period ended", async () => {
    await cache.set("k", "old", { ttl: 1, staleTtl: 1 });
    clock.advance(1_000);
    const fetch = controlledFetch<string>();
    const codes: string[] = [];
    cache.events.on("error", ({ error }) => codes.push(error.code));
    expect(await cache.getOrSet("k", fetch.fetchFn)).toBe("old");
    clock.advance(1_000);
    fetch.reject(new Error("late"));
    await settle();
    expect(codes).toEqual(["ERR_KEEL_CACHE_FETCH"]);
  });

  it("gives callers that joined a failed refresh the stale value", async () => {
    await cache.set("k", "old", { ttl: 1, staleTtl: 60 });
    clock.advance(1_000);
    const fetch = controlledFetch<string>();
    expect(await cache.getOrSet("k", fetch.fetchFn, { ttl: 1, staleTtl: 60 })).toBe("old");
    await cache.set("other", 1);
    // A caller whose read missed (another key's entry was cleared) joins the refresh of "k".
    const joined = cache.getOrSet("k", fetch.fetchFn);
    fetch.reject(new Error("down"));
    expect(await joined).toBe("old");
  });

  it("does not store a fetched value over a delete, set or invalidation made during the fetch", async () => {
    for (const interrupt of [
      () => cache.delete("k"),
      () => cache.set("k", "explicit"),
      () => cache.invalidate("k*"),
      () => cache.invalidateTags(["t"]),
      () => cache.clear(),
    ]) {
      await cache.clear();
      const fetch = controlledFetch<string>();
      const caller = cache.getOrSet("k", fetch.fetchFn, { tags: ["t"] });
      await settle();
      await interrupt();
      fetch.resolve("fetched before the write");
      expect(await caller).toBe("fetched before the write");
      await settle();
      expect(await cache.get("k")).not.toBe("fetched before the write");
    }
  });

  it("returns undefined from fetchFn without caching it", async () => {
    let calls = 0;
    expect(await cache.getOrSet("k", () => void calls++)).toBeUndefined();
    expect(await cache.getOrSet("k", () => void calls++)).toBeUndefined();
    expect(calls).toBe(2);
  });

  it("keeps tags given to getOrSet", async () => {
    await cache.getOrSet("k", () => 1, { tags: ["modules"] });
    expect(await cache.invalidateTags(["modules"])).toBe(1);
  });

  it(`validates its arguments on a hit too (${kind})`, async () => {
    await cache.set("k", 1);
    await expect(cache.getOrSet("k", () => 1, 0)).rejects.toMatchObject({ code: "ERR_KEEL_CACHE_TTL" });
    await expect(cache.getOrSet("k", "nope" as never)).rejects.toMatchObject({
      code: "ERR_KEEL_CACHE_ARGUMENT",
    });
    await expect(cache.getOrSet(1 as never, () => 1)).rejects.toMatchObject({
      code: "ERR_KEEL_CACHE_ARGUMENT",
    });
  });
});
