import { describe, expect, it } from "vitest";
import { cacheMiddleware } from "../../src/adapters/node.js";
import { CacheError } from "../../src/errors.js";
import { defaultCache, invalidateCache, invalidateCacheTags } from "../../src/middleware/default-cache.js";

describe("the default cache", () => {
  it("is one cache per process, created on first use and shared by every middleware", async () => {
    const first = cacheMiddleware(60);
    const second = cacheMiddleware({ ttl: 5 });
    expect(first.cache).toBe(defaultCache());
    expect(second.cache).toBe(first.cache);
    await defaultCache().set("http:GET /modules ? h=x", "value", { ttl: 60, tags: ["t"] });
    await defaultCache().set("http:GET /other ? h=x", "value", { ttl: 60, tags: ["t"] });
    expect(await invalidateCache("/modules")).toBe(1);
    expect(await invalidateCacheTags(["t"])).toBe(1);
  });

  it("refuses a pattern that is not a string, and options that are not an object", async () => {
    await expect(invalidateCache(42 as unknown as string)).rejects.toMatchObject({
      code: "ERR_KEEL_CACHE_ARGUMENT",
    });
    expect(() => invalidateCacheTags(["t"], "cache" as never)).toThrow(CacheError);
  });
});
