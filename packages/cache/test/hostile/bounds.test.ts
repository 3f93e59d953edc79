import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hostileString, hostileValue, settle, typedOrOk } from "../../../../reliability/lib/hostile.js";
import { createCache } from "../../src/cache.js";
import { CacheError } from "../../src/errors.js";
import { compileGlob, toRedisMatchPattern } from "../../src/glob.js";
import { memoryStore } from "../../src/stores/memory.js";
import { approximateSize } from "../../src/stores/memory-size.js";

// Memory bounds under a flood of distinct keys, and the pure helpers under hostile patterns.

describe("memoryStore bounds under a flood of distinct keys", () => {
  it("holds at most max entries after a million distinct keys, counting every eviction", async () => {
    const max = 1_000;
    const cache = createCache({ store: memoryStore({ max }) });
    const total = 1_000_000;
    for (let i = 0; i < total; i++) await cache.set(`attacker:${i}`, i, 60);
    const stats = await cache.getStats();
    expect(stats.size).toBe(max);
    expect(stats.evictions).toBe(total - max);
    expect(await cache.get(`attacker:${total - 1}`)).toBe(total - 1);
    expect(await cache.get("attacker:0")).toBeUndefined();
    await cache.close();
  }, 30_000);

  it("refuses a max lru-cache cannot allocate with a CacheError", async () => {
    // lru-cache preallocates max-sized arrays: 2^31 exhausts the heap, 2^32 and above throw a RangeError.
    for (const max of [2 ** 32, Number.MAX_SAFE_INTEGER]) {
      const outcome = await settle("memoryStore", () => memoryStore({ max }));
      expect(outcome.ok).toBe(false);
      typedOrOk(`memoryStore({ max: ${max} })`, outcome, CacheError, "ERR_KEEL_CACHE_");
    }
  });

  it("keeps the summed size of hostile values within maxSize", async () => {
    const maxSize = 200_000;
    const cache = createCache({ store: memoryStore({ maxSize, max: 100_000 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(hostileString(24), hostileValue), { maxLength: 20 }),
        async (entries) => {
          for (const [key, value] of entries) {
            const outcome = await settle("set", () => cache.set(key, value, 60));
            if (!outcome.ok) expect(outcome.error).toBeInstanceOf(CacheError);
          }
          let total = 0;
          for await (const key of cache.keys())
            total += approximateSize(await cache.get(key)) + 2 * key.length;
          expect(total).toBeLessThanOrEqual(maxSize);
        },
      ),
      { numRuns: 100 },
    );
    await cache.close();
  }, 30_000);
});

describe("glob helpers under hostile patterns", () => {
  it("compiles any pattern or throws a CacheError, and matches in bounded time", async () => {
    await fc.assert(
      fc.asyncProperty(hostileString(64), hostileString(256), async (pattern, key) => {
        const outcome = await settle("compileGlob", () => compileGlob(pattern)(key));
        expect(outcome.ok).toBe(true);
        expect(typeof toRedisMatchPattern(pattern)).toBe("string");
        expect(compileGlob(pattern.replace(/[*?\\]/g, (c) => `\\${c}`))(pattern)).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  }, 30_000);

  it("matches the worst case of its O(key × pattern) bound (2,000-character pattern, 100,000-character key) in bounded time", async () => {
    const pattern = `*${"a".repeat(2_000)}b`;
    const key = "a".repeat(100_000);
    const outcome = await settle("worst-case glob", () => compileGlob(pattern)(key), 10_000);
    expect(outcome).toEqual({ ok: true, value: false });
  });
});
