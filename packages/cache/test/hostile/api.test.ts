import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hostileNumber,
  hostileString,
  hostileValue,
  longString,
  notANumber,
  settle,
  typedOrOk,
} from "../../../../reliability/lib/hostile.js";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import { createCache } from "../../src/cache.js";
import type { Cache } from "../../src/cache-api.js";
import { CacheError } from "../../src/errors.js";
import { compileGlob } from "../../src/glob.js";
import { jsonSerializer } from "../../src/serializer.js";
import { memoryStore } from "../../src/stores/memory.js";
import { redisStore } from "../../src/stores/redis.js";
import { tieredStore } from "../../src/stores/tiered.js";

// Every public method of a Cache, driven by hostile keys, values, TTLs, patterns and tags, on each
// store: each call resolves as documented or rejects with a CacheError, within a time bound, and a
// sentinel entry written before stays intact unless the call was entitled to remove it.

const hasRedis = await redisAvailable();

const SENTINEL = "sentinel:\u2603";
const SENTINEL_TAG = "sentinel-tag:\u2603";
const SENTINEL_VALUE = { kept: true, at: new Date(0), n: 42n };

const ttlArgument = fc.oneof(
  fc.constant(undefined),
  hostileNumber,
  notANumber,
  fc.record(
    {
      ttl: fc.oneof(hostileNumber, notANumber),
      staleTtl: hostileNumber,
      tags: fc.oneof(fc.array(hostileString(16), { maxLength: 3 }), notANumber),
    },
    { requiredKeys: [] },
  ),
  fc.constant({ ttl: 60, forever: true }),
);

const key = fc.oneof({ weight: 9, arbitrary: hostileString(48) }, { weight: 1, arbitrary: notANumber });

type Op =
  | { kind: "set"; key: unknown; value: unknown; ttl: unknown }
  | { kind: "get" | "has" | "delete"; key: unknown }
  | { kind: "getOrSet"; key: unknown; value: unknown; ttl: unknown; fails: boolean }
  | { kind: "invalidate"; pattern: unknown }
  | { kind: "invalidateTags"; tags: unknown }
  | { kind: "keys"; pattern: unknown };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), key, value: hostileValue, ttl: ttlArgument }),
  fc.record({ kind: fc.constantFrom("get" as const, "has" as const, "delete" as const), key }),
  fc.record({
    kind: fc.constant("getOrSet" as const),
    key,
    value: hostileValue,
    ttl: ttlArgument,
    fails: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("invalidate" as const), pattern: key }),
  fc.record({
    kind: fc.constant("invalidateTags" as const),
    tags: fc.oneof(fc.array(hostileString(16), { maxLength: 3 }), notANumber),
  }),
  fc.record({ kind: fc.constant("keys" as const), pattern: fc.option(key, { nil: undefined }) }),
);

/** The TTL a successful write used, in seconds, when it is long enough to read the value back. */
function effectiveTtl(ttl: unknown): number {
  if (typeof ttl === "number") return ttl;
  if (ttl !== null && typeof ttl === "object" && typeof (ttl as { ttl?: unknown }).ttl === "number") {
    return (ttl as { ttl: number }).ttl;
  }
  return 300;
}

const fetchFailure = new Error("origin down");

async function run(
  cache: Cache,
  step: Op,
  byReference: boolean | "either",
): Promise<{ sentinelMayGo: boolean }> {
  const label = `${step.kind}(${String((step as { key?: unknown }).key).slice(0, 80)})`;
  const c = cache as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  switch (step.kind) {
    case "set": {
      const outcome = await settle(label, () => c.set?.(step.key, step.value, step.ttl));
      if (typedOrOk(label, outcome, CacheError, "ERR_KEEL_CACHE_") && effectiveTtl(step.ttl) >= 10) {
        const back = await cache.get(step.key as string);
        // A remote store returns what its serializer documents (class instances become plain objects).
        // tieredStore answers from its in-process L1 (by reference) or from Redis (serialized).
        if (byReference === true || (byReference === "either" && back === step.value))
          expect(back).toBe(step.value);
        else expect(back).toEqual(jsonSerializer.deserialize(jsonSerializer.serialize(step.value)));
      }
      return { sentinelMayGo: step.key === SENTINEL };
    }
    case "get":
    case "has":
    case "delete": {
      const outcome = await settle(label, () => c[step.kind]?.(step.key));
      if (typedOrOk(label, outcome, CacheError, "ERR_KEEL_CACHE_") && step.kind !== "get") {
        expect(typeof outcome.value).toBe("boolean");
      }
      if (!outcome.ok) expect(typeof step.key).not.toBe("string"); // reads of a string key never throw
      return { sentinelMayGo: step.kind === "delete" && step.key === SENTINEL };
    }
    case "getOrSet": {
      const fetchFn = step.fails ? () => Promise.reject(fetchFailure) : () => step.value;
      const outcome = await settle(label, () => c.getOrSet?.(step.key, fetchFn, step.ttl));
      if (!(outcome.ok === false && outcome.error === fetchFailure)) {
        typedOrOk(label, outcome, CacheError, "ERR_KEEL_CACHE_");
      }
      return { sentinelMayGo: false };
    }
    case "invalidate": {
      const outcome = await settle(label, () => c.invalidate?.(step.pattern));
      if (typedOrOk(label, outcome, CacheError, "ERR_KEEL_CACHE_")) {
        expect(outcome.value).toBeGreaterThanOrEqual(0);
      }
      return { sentinelMayGo: typeof step.pattern === "string" && compileGlob(step.pattern)(SENTINEL) };
    }
    case "invalidateTags": {
      const outcome = await settle(label, () => c.invalidateTags?.(step.tags));
      typedOrOk(label, outcome, CacheError, "ERR_KEEL_CACHE_");
      return { sentinelMayGo: Array.isArray(step.tags) && step.tags.includes(SENTINEL_TAG) };
    }
    case "keys": {
      const outcome = await settle(label, async () => {
        let seen = 0;
        for await (const _ of cache.keys(step.pattern as string | undefined)) if (++seen >= 1_000) break;
        return seen;
      });
      typedOrOk(label, outcome, CacheError, "ERR_KEEL_CACHE_");
      return { sentinelMayGo: false };
    }
  }
}

interface Subject {
  readonly name: string;
  readonly byReference: boolean | "either";
  readonly runs: number;
  make(): Promise<{ cache: Cache; close(): Promise<void> }>;
}

const subjects: Subject[] = [
  {
    name: "memoryStore",
    byReference: true,
    runs: 300,
    async make() {
      const cache = createCache({ store: memoryStore({ max: 1_000 }), strict: true });
      return { cache, close: () => cache.close() };
    },
  },
];
if (hasRedis) {
  subjects.push(
    {
      name: "redisStore",
      byReference: false,
      runs: 60,
      async make() {
        const client = new Redis(REDIS_URL);
        const cache = createCache({
          store: redisStore({ client, prefix: uniquePrefix("hostile-cache") }),
          strict: true,
          storeTimeout: 2_000,
        });
        return {
          cache,
          async close() {
            await cache.clear();
            await cache.close();
            client.disconnect();
          },
        };
      },
    },
    {
      name: "tieredStore",
      byReference: "either",
      runs: 40,
      async make() {
        const client = new Redis(REDIS_URL);
        const subscriber = new Redis(REDIS_URL);
        const cache = createCache({
          store: tieredStore(
            [memoryStore({ max: 1_000 }), redisStore({ client, prefix: uniquePrefix("hostile-tiered") })],
            {
              subscriber,
            },
          ),
          strict: true,
          storeTimeout: 2_000,
        });
        return {
          cache,
          async close() {
            await cache.clear();
            await cache.close();
            client.disconnect();
            subscriber.disconnect();
          },
        };
      },
    },
  );
}

describe.each(subjects)("a cache on $name under hostile calls", (subject) => {
  let cache: Cache;
  let close: () => Promise<void>;
  const putSentinel = () => cache.set(SENTINEL, SENTINEL_VALUE, { ttl: 3_600, tags: [SENTINEL_TAG] });

  beforeAll(async () => {
    ({ cache, close } = await subject.make());
    await putSentinel();
  });
  afterAll(() => close());

  it("answers every call as documented or with a CacheError, in time, and keeps other keys intact", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (steps) => {
        let sentinelMayGo = false;
        for (const step of steps)
          sentinelMayGo ||= (await run(cache, step, subject.byReference)).sentinelMayGo;
        if (!sentinelMayGo) expect(await cache.get(SENTINEL)).toEqual(SENTINEL_VALUE);
        else await putSentinel();
      }),
      { numRuns: subject.runs },
    );
    const stats = await cache.getStats();
    for (const figure of [stats.hits, stats.misses, stats.sets, stats.deletes, stats.errors]) {
      expect(Number.isSafeInteger(figure) && figure >= 0).toBe(true);
    }
  }, 60_000);

  it("stores and returns a 4 MB value, a 10,000-character key and a cyclic value or refuses them with a CacheError", async () => {
    const big = { blob: longString(4 * 1024 * 1024, "0123456789abcdef") };
    const longKey = longString(10_000, "k\u00e9{}%:[]");
    expect(
      typedOrOk(
        "set big",
        await settle("set big", () => cache.set("big", big, 60), 5_000),
        CacheError,
        "ERR_KEEL_CACHE_",
      ),
    ).toBe(true);
    expect(await cache.get("big")).toEqual(big);
    await cache.set(longKey, 1, 60);
    expect(await cache.get(longKey)).toBe(1);
    expect(await cache.invalidate(longKey)).toBe(1);
    const self: Record<string, unknown> = {};
    self.self = self;
    const outcome = await settle("set cyclic", () => cache.set("cyclic", self, 60));
    if (typedOrOk("set cyclic", outcome, CacheError, "ERR_KEEL_CACHE_"))
      expect(subject.name).toBe("memoryStore");
    else expect((outcome.error as CacheError).code).toBe("ERR_KEEL_CACHE_SERIALIZE");
    expect(await cache.get(SENTINEL)).toEqual(SENTINEL_VALUE);
  }, 30_000);

  it("invalidates and lists a key matched by a pattern of more than 1,000 wildcards, as memoryStore does", async () => {
    // Redis gives up on a MATCH pattern with more than 1,000 stars (its recursion limit) and matches
    // nothing, so the pattern must not be handed to SCAN MATCH as it is.
    const manyStars = `${"a*".repeat(1_001)}b`;
    const matched = `${"a".repeat(1_001)}b`;
    await cache.set(matched, 1, 60);
    const listed: string[] = [];
    for await (const found of cache.keys(manyStars)) listed.push(found);
    expect(listed).toEqual([matched]);
    expect(await cache.invalidate(manyStars)).toBe(1);
    expect(await cache.has(matched)).toBe(false);
    expect(await cache.get(SENTINEL)).toEqual(SENTINEL_VALUE);
  });
});
