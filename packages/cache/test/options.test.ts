import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { setArgumentError, ttlError } from "../src/arguments.js";
import { createCache } from "../src/cache.js";
import { describeValue } from "../src/errors.js";
import { resolveCacheOptions } from "../src/options.js";
import { memoryStore } from "../src/stores/memory.js";

const code = (c: string) => expect.objectContaining({ code: c });

/** Anything that is not a positive finite number. */
const notATtl = fc.oneof(
  fc.double().filter((n) => !(n > 0 && Number.isFinite(n))),
  fc.constantFrom(0, -0, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  fc.string(),
  fc.boolean(),
  fc.constantFrom(null, 10n, [], () => 1),
);

describe("TTL validation", () => {
  it("accepts every positive finite number of seconds, fractions included", () => {
    fc.assert(
      fc.property(fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }), (ttl) => {
        expect(ttlError("ttl", ttl)).toBeUndefined();
        expect(setArgumentError(ttl)).toBeUndefined();
        expect(setArgumentError({ ttl, staleTtl: ttl })).toBeUndefined();
      }),
    );
  });

  it("refuses zero, negatives, NaN, infinities and non-numbers with ERR_KEEL_CACHE_TTL: never a silent forever", () => {
    fc.assert(
      fc.property(notATtl, (ttl) => {
        expect(setArgumentError(ttl as number)).toEqual(code("ERR_KEEL_CACHE_TTL"));
        expect(setArgumentError({ ttl: ttl as number })).toEqual(code("ERR_KEEL_CACHE_TTL"));
        expect(setArgumentError({ staleTtl: ttl as number })).toEqual(code("ERR_KEEL_CACHE_TTL"));
        expect(() => resolveCacheOptions({ defaultTtl: ttl as number })).toThrow(code("ERR_KEEL_CACHE_TTL"));
      }),
    );
  });

  it("says what was wrong and how to fix it", () => {
    expect(ttlError("ttl", 0)?.message).toMatch(
      /ttl must be a positive finite number of seconds.*got 0.*no 'forever'/,
    );
  });

  it("rejects a set or getOrSet with a bad TTL before touching the store", async () => {
    const cache = createCache();
    await expect(cache.set("k", 1, -5)).rejects.toEqual(code("ERR_KEEL_CACHE_TTL"));
    await expect(cache.set("k", 1, { ttl: Number.NaN })).rejects.toEqual(code("ERR_KEEL_CACHE_TTL"));
    await expect(cache.getOrSet("k", () => 1, { staleTtl: 0 })).rejects.toEqual(code("ERR_KEEL_CACHE_TTL"));
    expect(await cache.has("k")).toBe(false);
  });
});

describe("per-call options", () => {
  it("refuses unknown names, bad tags and a non-object", () => {
    expect(setArgumentError({ tll: 5 } as never)).toEqual(code("ERR_KEEL_CACHE_ARGUMENT"));
    expect(setArgumentError({ tags: "modules" } as never)).toEqual(code("ERR_KEEL_CACHE_ARGUMENT"));
    expect(setArgumentError({ tags: ["ok", 5] } as never)).toEqual(code("ERR_KEEL_CACHE_ARGUMENT"));
    expect(setArgumentError([60] as never)).toEqual(code("ERR_KEEL_CACHE_TTL"));
    expect(setArgumentError(null as never)).toEqual(code("ERR_KEEL_CACHE_TTL"));
  });

  it("refuses a non-string key, an undefined value, a missing fetchFn and bad tags", async () => {
    const cache = createCache();
    await expect(cache.get(5 as never)).rejects.toEqual(code("ERR_KEEL_CACHE_ARGUMENT"));
    await expect(cache.has({} as never)).rejects.toEqual(code("ERR_KEEL_CACHE_ARGUMENT"));
    await expect(cache.set(null as never, 1)).rejects.toEqual(code("ERR_KEEL_CACHE_ARGUMENT"));
    await expect(cache.set("k", undefined)).rejects.toEqual(code("ERR_KEEL_CACHE_ARGUMENT"));
    await expect(cache.delete(1 as never)).rejects.toEqual(code("ERR_KEEL_CACHE_ARGUMENT"));
    await expect(cache.invalidate(1 as never)).rejects.toEqual(code("ERR_KEEL_CACHE_ARGUMENT"));
    await expect(cache.invalidateTags("t" as never)).rejects.toEqual(code("ERR_KEEL_CACHE_ARGUMENT"));
    await expect(cache.invalidateTags([1] as never)).rejects.toEqual(code("ERR_KEEL_CACHE_ARGUMENT"));
    expect(() => cache.keys(1 as never)).toThrow(code("ERR_KEEL_CACHE_ARGUMENT"));
  });
});

describe("createCache options", () => {
  it("applies the documented defaults", () => {
    expect(resolveCacheOptions(undefined)).toEqual({
      store: undefined,
      defaultTtl: 300,
      storeTimeout: 200,
      strict: false,
      clock: undefined,
    });
    expect(resolveCacheOptions({})).toEqual(resolveCacheOptions(undefined));
  });

  it("refuses each invalid option eagerly, naming it", () => {
    const cases: [unknown, string, RegExp][] = [
      ["nope", "ERR_KEEL_CACHE_OPTION", /options must be an object/],
      [{ ttl: 60 }, "ERR_KEEL_CACHE_OPTION", /unknown option "ttl"/],
      [{ storeTimeout: 0 }, "ERR_KEEL_CACHE_OPTION", /storeTimeout/],
      [{ storeTimeout: Number.POSITIVE_INFINITY }, "ERR_KEEL_CACHE_OPTION", /storeTimeout/],
      [{ storeTimeout: "200" }, "ERR_KEEL_CACHE_OPTION", /storeTimeout/],
      [{ strict: "yes" }, "ERR_KEEL_CACHE_OPTION", /strict/],
      [{ clock: Date }, "ERR_KEEL_CACHE_OPTION", /clock/],
      [{ clock: null }, "ERR_KEEL_CACHE_OPTION", /clock/],
      [{ store: new Map() }, "ERR_KEEL_CACHE_OPTION", /store must implement CacheStore/],
      [{ store: null }, "ERR_KEEL_CACHE_OPTION", /store must implement CacheStore/],
    ];
    for (const [options, errorCode, message] of cases) {
      expect(() => createCache(options as never)).toThrow(expect.objectContaining({ code: errorCode }));
      expect(() => createCache(options as never)).toThrow(message);
    }
  });

  it("accepts a store and a clock it is given", async () => {
    const clock = { now: () => 1_000 };
    const cache = createCache({ store: memoryStore({ clock }), clock, storeTimeout: 50, strict: true });
    await cache.set("k", 1, 1);
    expect(await cache.get("k")).toBe(1);
  });
});

describe("describeValue", () => {
  it("names values for error messages without throwing", () => {
    expect(describeValue("x")).toBe('"x"');
    expect(describeValue(1)).toBe("1");
    expect(describeValue(null)).toBe("null");
    expect(describeValue(undefined)).toBe("undefined");
    expect(describeValue(2n)).toBe("2n");
    expect(describeValue(() => 1)).toBe("a function");
    expect(describeValue([])).toBe("an array");
    expect(describeValue(Object.create(null))).toBe("an object");
  });
});
