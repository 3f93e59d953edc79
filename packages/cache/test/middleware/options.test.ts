import { describe, expect, it } from "vitest";
import { createCache } from "../../src/cache.js";
import { CacheError } from "../../src/errors.js";
import { type CacheMiddlewareOptions, resolveMiddlewareOptions } from "../../src/middleware/options.js";

function problem(options: unknown): string {
  try {
    resolveMiddlewareOptions(options as CacheMiddlewareOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).code).toBe("ERR_KEEL_CACHE_OPTION");
    return (error as CacheError).message;
  }
  throw new Error("no error thrown");
}

describe("cacheMiddleware options", () => {
  it("takes a number as the ttl in seconds and applies the defaults", () => {
    const o = resolveMiddlewareOptions(3600);
    expect([o.http, o.ttl, o.staleTtl, o.private, o.maxBodySize, o.waitTimeout, o.heuristic]).toEqual([
      false,
      3600,
      0,
      false,
      1024 * 1024,
      5000,
      0,
    ]);
    expect([...o.statuses]).toEqual([200]);
    expect(o.cacheControl).toBeUndefined();
    expect(o.sessionCookie?.("connect.sid")).toBe(true);
    expect(o.sessionCookie?.("_ga")).toBe(false);
    expect(o.tags(undefined)).toEqual([]);
  });

  it("names the option that is wrong and says how to fix it", () => {
    expect(problem(null)).toMatch(/pass a TTL in seconds or an options object/);
    expect(problem({ ttl: 60, tll: 1 })).toMatch(/unknown option "tll"/);
    expect(problem({})).toMatch(/ttl is required in route mode/);
    expect(problem({ ttl: -1 })).toMatch(/ttl must be a positive number of seconds, got -1/);
    expect(problem({ ttl: 60, staleTtl: Number.NaN })).toMatch(/staleTtl must be a non-negative/);
    expect(problem({ mode: "proxy" })).toMatch(/mode must be "route" or "http"/);
    expect(problem({ mode: "http", ttl: 60 })).toMatch(/ttl is a route-mode option/);
    expect(problem({ mode: "http", private: true })).toMatch(/private is a route-mode option/);
    expect(problem({ ttl: 60, heuristic: 0.1 })).toMatch(/heuristic is an HTTP-mode option/);
    expect(problem({ mode: "http", heuristic: 2 })).toMatch(/heuristic must be false or a fraction/);
    expect(problem({ ttl: 60, cache: {} })).toMatch(/cache must be a Cache/);
    expect(problem({ ttl: 60, key: () => "a", keyGenerator: () => "b" })).toMatch(/not both/);
    expect(problem({ ttl: 60, keyGenerator: "path" })).toMatch(/keyGenerator must be a function/);
    expect(problem({ ttl: 60, userId: 1 })).toMatch(/userId must be a function/);
    expect(problem({ ttl: 60, private: "yes" })).toMatch(/private must be a boolean/);
    expect(problem({ ttl: 60, maxBodySize: 1.5 })).toMatch(/maxBodySize must be a whole/);
    expect(problem({ ttl: 60, waitTimeout: -1 })).toMatch(/waitTimeout must be a number of milliseconds/);
    expect(problem({ ttl: 60, clock: Date.now })).toMatch(/clock must be an object with a now\(\) method/);
    expect(problem({ ttl: 60, tags: "modules" })).toMatch(/tags must be an array of strings or a function/);
    expect(problem({ ttl: 60, vary: ["Accept Language"] })).toMatch(/vary must be an array of header names/);
    expect(problem({ ttl: 60, sessionCookie: "sid" })).toMatch(/sessionCookie must be a RegExp/);
  });

  it("stores only 2xx statuses other than 206", () => {
    expect([...resolveMiddlewareOptions({ ttl: 1, statuses: [200, 203, 204] }).statuses]).toEqual([
      200, 203, 204,
    ]);
    for (const statuses of [[], [404], [206], [200, 301], "200"]) {
      expect(problem({ ttl: 60, statuses })).toMatch(
        /statuses must be a non-empty array of 2xx status codes/,
      );
    }
  });

  it("writes Cache-Control from ttl and staleTtl, or from the values given", () => {
    const header = (options: CacheMiddlewareOptions): string | undefined =>
      resolveMiddlewareOptions(options).cacheControl;
    expect(header({ ttl: 60.5, cacheControl: true })).toBe("public, max-age=60, s-maxage=60");
    expect(header({ ttl: 60, staleTtl: 30, cacheControl: true })).toBe(
      "public, max-age=60, s-maxage=60, stale-while-revalidate=30",
    );
    expect(header({ ttl: 60, cacheControl: { maxAge: 0, sMaxAge: 3600, staleWhileRevalidate: 5 } })).toBe(
      "public, max-age=0, s-maxage=3600, stale-while-revalidate=5",
    );
    expect(header({ ttl: 60, private: true, cacheControl: true })).toBe("private, max-age=60");
    expect(header({ ttl: 60, cacheControl: false })).toBeUndefined();
    expect(problem({ ttl: 60, cacheControl: "public" })).toMatch(/cacheControl must be a boolean or/);
    expect(problem({ ttl: 60, cacheControl: { maxage: 1 } })).toMatch(/unknown cacheControl option "maxage"/);
    expect(problem({ ttl: 60, cacheControl: { sMaxAge: -1 } })).toMatch(
      /cacheControl.sMaxAge must be a whole/,
    );
  });

  it("accepts session cookies as a pattern (flags g and y ignored), a function, or none", () => {
    const global = resolveMiddlewareOptions({ ttl: 1, sessionCookie: /^my-session$/g }).sessionCookie;
    expect([global?.("my-session"), global?.("my-session"), global?.("other")]).toEqual([true, true, false]);
    const fn = resolveMiddlewareOptions({ ttl: 1, sessionCookie: (name) => name === "s" }).sessionCookie;
    expect(fn?.("s")).toBe(true);
    expect(resolveMiddlewareOptions({ ttl: 1, sessionCookie: false }).sessionCookie).toBeUndefined();
  });

  it("uses the cache given, and the tags given as a list or a function", () => {
    const cache = createCache();
    const o = resolveMiddlewareOptions<string>({ ttl: 1, cache, tags: (req) => [req], vary: ["X-A", "x-a"] });
    expect(o.cache()).toBe(cache);
    expect(o.tags("t")).toEqual(["t"]);
    expect(o.vary).toEqual(["x-a"]);
    expect(resolveMiddlewareOptions({ ttl: 1, tags: ["a"] }).tags(undefined)).toEqual(["a"]);
  });
});
