import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CacheEntry, CacheStore, EvictionReason } from "../types.js";
import type { FakeClock } from "./fake-clock.js";

/**
 * Options of {@link runCacheStoreConformance}.
 *
 * @example
 * ```ts
 * const clock = createFakeClock();
 * runCacheStoreConformance({ name: "memory", clock, createStore: () => memoryStore({ clock }) });
 * ```
 */
export interface CacheStoreConformanceOptions {
  /** The name the `describe` block shows. */
  readonly name: string;
  /**
   * Creates a new, empty store. Called once or twice per test: two stores from two calls must be
   * independent (for a shared store: use a fresh prefix per call). The suite closes every store.
   */
  readonly createStore: () => CacheStore | Promise<CacheStore>;
  /**
   * The clock the created stores keep time with, when it can be moved: expiry tests then advance it.
   * Without it (stores that use real time, like Redis expiry), expiry tests use 60 ms TTLs and wait
   * 150 ms, twice in the whole suite.
   * @default real time
   */
  readonly clock?: FakeClock;
  /**
   * When the store is bounded, a factory for a store holding at most `max` entries: the suite checks
   * that going past the bound evicts and reports `capacity` evictions through `onEvict`.
   * @default undefined (the eviction test is skipped)
   */
  readonly createBoundedStore?: (max: number) => CacheStore | Promise<CacheStore>;
}

const REAL_TTL_MS = 60;
const REAL_WAIT_MS = 150;

/** Keys with glob characters, escapes, spaces, separators and unicode: stores must not interpret them. */
const AWKWARD_KEYS = [
  "a*b",
  "a?b",
  "[x]",
  "back\\slash",
  "sp ace",
  "/modules/intro",
  "café",
  "日本語",
  "😀:1",
  "",
];

/**
 * Registers the `CacheStore` conformance suite (vitest `describe`/`it`) for a store. Every store of
 * `@keel/cache` passes it; run it against your own store in one test file:
 *
 * @example
 * ```ts
 * // test/my-store.test.ts
 * import { createFakeClock, runCacheStoreConformance } from "@keel/cache/testing";
 * import { myStore } from "../src/my-store.js";
 *
 * runCacheStoreConformance({ name: "my store", createStore: () => myStore({ prefix: crypto.randomUUID() }) });
 * ```
 */
export function runCacheStoreConformance(options: CacheStoreConformanceOptions): void {
  const { clock, createStore, createBoundedStore } = options;
  const now = (): number => (clock === undefined ? Date.now() : clock.now());
  const entry = (value: unknown, ttlMs = 60_000, staleMs = 0, tags?: readonly string[]): CacheEntry => {
    const expiresAt = now() + ttlMs;
    const base = { value, expiresAt, staleUntil: expiresAt + staleMs };
    return tags === undefined ? base : { ...base, tags };
  };
  const passTime = async (ms: number): Promise<void> => {
    if (clock !== undefined) clock.advance(ms);
    else await new Promise((resolve) => setTimeout(resolve, ms));
  };
  // Distinct keys: a store over Redis SCAN may yield a key twice while Redis resizes its table.
  const collect = async (iterable: AsyncIterable<string>): Promise<string[]> => {
    const keys = new Set<string>();
    for await (const key of iterable) keys.add(key);
    return [...keys].sort();
  };

  describe(`CacheStore conformance: ${options.name}`, () => {
    const opened: CacheStore[] = [];
    let store: CacheStore;
    const open = async (): Promise<CacheStore> => {
      const created = await createStore();
      opened.push(created);
      return created;
    };

    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it("declares a name and its capabilities", () => {
      expect(typeof store.name).toBe("string");
      expect(typeof store.capabilities.liveValues).toBe("boolean");
      expect(typeof store.capabilities.shared).toBe("boolean");
    });

    it("returns undefined for a key it does not hold", async () => {
      expect(await store.get("missing")).toBeUndefined();
    });

    it("returns what was set, lifetimes included", async () => {
      const values = [
        { id: 1, name: "Ada", nested: { list: [1, "two", null] } },
        "text",
        42,
        0,
        false,
        null,
        [1, 2],
      ];
      for (const [i, value] of values.entries()) {
        const written = entry(value);
        await store.set(`value:${i}`, written);
        const read = await store.get(`value:${i}`);
        expect(read?.value).toEqual(value);
        expect(read?.expiresAt).toBe(written.expiresAt);
        expect(read?.staleUntil).toBe(written.staleUntil);
      }
    });

    it("keeps keys as opaque strings: glob characters, escapes and unicode", async () => {
      for (const key of AWKWARD_KEYS) await store.set(key, entry(`v:${key}`));
      for (const key of AWKWARD_KEYS) expect((await store.get(key))?.value).toBe(`v:${key}`);
      expect(await store.get("a")).toBeUndefined();
      expect(await store.get("axb")).toBeUndefined();
    });

    it("replaces an entry and its tags on set", async () => {
      await store.set("k", entry("first", 60_000, 0, ["old"]));
      await store.set("k", entry("second", 60_000, 0, ["new"]));
      expect((await store.get("k"))?.value).toBe("second");
      expect(await store.invalidateTags(["old"])).toBe(0);
      expect(await store.get("k")).toBeDefined();
      expect(await store.invalidateTags(["new"])).toBe(1);
      expect(await store.get("k")).toBeUndefined();
    });

    it("deletes a key and says whether it was there", async () => {
      await store.set("k", entry(1));
      expect(await store.delete("k")).toBe(true);
      expect(await store.delete("k")).toBe(false);
      expect(await store.get("k")).toBeUndefined();
    });

    it("clears every entry", async () => {
      for (let i = 0; i < 20; i++) await store.set(`k${i}`, entry(i, 60_000, 0, ["t"]));
      await store.clear();
      expect(await store.size()).toBe(0);
      expect(await collect(store.keys())).toEqual([]);
      expect(await store.invalidateTags(["t"])).toBe(0);
    });

    it("serves an entry past expiresAt until staleUntil, and never after", async () => {
      const ttl = clock === undefined ? REAL_TTL_MS : 1_000;
      await store.set("stale", entry("old", ttl, clock === undefined ? 60_000 : 10_000));
      await store.set("gone", entry("gone", ttl));
      await passTime(clock === undefined ? REAL_WAIT_MS : ttl + 1);
      const stale = await store.get("stale");
      expect(stale?.value).toBe("old");
      expect(stale?.expiresAt).toBeLessThanOrEqual(now());
      expect(await store.get("gone")).toBeUndefined();
      if (clock !== undefined) {
        clock.advance(10_000);
        expect(await store.get("stale")).toBeUndefined();
      }
    });

    it("never returns or lists an entry past staleUntil", async () => {
      const ttl = clock === undefined ? REAL_TTL_MS : 5_000;
      for (let i = 0; i < 5; i++) await store.set(`short:${i}`, entry(i, ttl));
      await store.set("long", entry("kept"));
      await passTime(clock === undefined ? REAL_WAIT_MS : ttl);
      for (let i = 0; i < 5; i++) expect(await store.get(`short:${i}`)).toBeUndefined();
      expect(await collect(store.keys("short:*"))).toEqual([]);
      expect((await store.get("long"))?.value).toBe("kept");
    });

    it("removes entries by tag and counts each removed entry once", async () => {
      await store.set("a", entry(1, 60_000, 0, ["modules", "user:1"]));
      await store.set("b", entry(2, 60_000, 0, ["modules"]));
      await store.set("c", entry(3, 60_000, 0, ["tutorials"]));
      await store.set("d", entry(4));
      expect(await store.invalidateTags(["modules", "user:1"])).toBe(2);
      expect(await store.get("a")).toBeUndefined();
      expect(await store.get("b")).toBeUndefined();
      expect((await store.get("c"))?.value).toBe(3);
      expect((await store.get("d"))?.value).toBe(4);
      expect(await store.invalidateTags(["unknown"])).toBe(0);
      expect(await store.invalidateTags([])).toBe(0);
    });

    it("invalidates by glob: *, ? and prefixes", async () => {
      for (const key of ["/modules/a", "/modules/b/c", "/modules", "/tutorials/a", "user:1", "user:22"]) {
        await store.set(key, entry(key));
      }
      expect(await store.invalidate("/modules/*")).toBe(2);
      expect(await store.get("/modules")).toBeDefined();
      expect(await store.invalidate("user:?")).toBe(1);
      expect(await store.get("user:22")).toBeDefined();
      expect(await store.invalidate("nothing*")).toBe(0);
      expect(await collect(store.keys())).toEqual(["/modules", "/tutorials/a", "user:22"]);
    });

    it("matches glob characters literally when escaped and counts unicode as characters", async () => {
      for (const key of AWKWARD_KEYS) await store.set(key, entry(key));
      await store.set("axb", entry("axb"));
      expect(await store.invalidate("a\\*b")).toBe(1); // only the literal "a*b"
      expect(await store.get("axb")).toBeDefined();
      expect(await store.invalidate("[x]")).toBe(1); // brackets are not a class
      expect(await store.invalidate("caf?")).toBe(1); // é is one character
      expect(await store.invalidate("😀:?")).toBe(1);
      expect(await store.invalidate("日本?")).toBe(1);
      expect(await store.invalidate("back\\\\slash")).toBe(1);
      expect(await store.invalidate("a\\?b")).toBe(1);
      expect(await collect(store.keys())).toEqual(["", "/modules/intro", "axb", "sp ace"].sort());
    });

    it("lists keys, all or by pattern, each once", async () => {
      const keys = Array.from({ length: 300 }, (_, i) => `item:${i}`);
      for (const key of keys) await store.set(key, entry(1));
      await store.set("other", entry(1));
      expect(await collect(store.keys("item:*"))).toEqual([...keys].sort());
      expect(await collect(store.keys("item:1?"))).toEqual([
        "item:10",
        "item:11",
        "item:12",
        "item:13",
        "item:14",
        "item:15",
        "item:16",
        "item:17",
        "item:18",
        "item:19",
      ]);
      expect((await collect(store.keys())).length).toBe(301);
      expect(await collect(store.keys("café*"))).toEqual([]);
    });

    it("lets the caller delete keys while iterating them", async () => {
      for (let i = 0; i < 50; i++) await store.set(`k:${i}`, entry(i));
      let seen = 0;
      for await (const key of store.keys("k:*")) {
        await store.delete(key);
        seen++;
        if (seen > 500) break; // a broken iterator must not hang the suite
      }
      expect(seen).toBe(50);
      expect(await store.size()).toBe(0);
    });

    it("counts its entries", async () => {
      expect(await store.size()).toBe(0);
      for (let i = 0; i < 7; i++) await store.set(`k${i}`, entry(i));
      await store.set("k0", entry("again"));
      expect(await store.size()).toBe(7);
      await store.delete("k1");
      expect(await store.size()).toBe(6);
    });

    it("registers and removes eviction listeners", async () => {
      const heard: [string, EvictionReason][] = [];
      const off = store.onEvict((key, reason) => heard.push([key, reason]));
      expect(typeof off).toBe("function");
      off();
      off();
      await store.set("k", entry(1));
      await store.delete("k");
      expect(heard).toEqual([]); // a user delete is not an eviction
    });

    it.skipIf(createBoundedStore === undefined)(
      "evicts past its bound and reports capacity evictions",
      async () => {
        const bounded = await createBoundedStore!(5);
        opened.push(bounded);
        const heard: string[] = [];
        bounded.onEvict((key, reason) => {
          if (reason === "capacity") heard.push(key);
        });
        for (let i = 0; i < 8; i++) await bounded.set(`k${i}`, entry(i, 60_000, 0, [`t${i}`]));
        expect(await bounded.size()).toBe(5);
        expect(heard).toHaveLength(3);
        for (const key of heard) expect(await bounded.get(key)).toBeUndefined();
        expect(await bounded.invalidateTags(["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"])).toBe(5);
      },
    );

    it("keeps two stores independent: writes, clear and invalidation", async () => {
      const other = await open();
      await store.set("shared-name", entry("mine"));
      await other.set("shared-name", entry("theirs", 60_000, 0, ["t"]));
      await other.set("only-theirs", entry(1));
      expect((await store.get("shared-name"))?.value).toBe("mine");
      await store.clear();
      expect((await other.get("shared-name"))?.value).toBe("theirs");
      await store.set("x", entry(1, 60_000, 0, ["t"]));
      expect(await store.invalidate("*")).toBe(1);
      expect(await store.invalidateTags(["t"])).toBe(0);
      expect(await other.size()).toBe(2);
      expect(await collect(other.keys())).toEqual(["only-theirs", "shared-name"]);
    });

    it("closes, and closing twice is harmless", async () => {
      const closing = await open();
      await closing.set("k", entry(1));
      await closing.close();
      await closing.close();
    });
  });
}
