/**
 * Memory per tracked key of an in-memory rate limiter: heap plus ArrayBuffer bytes retained after
 * one admitted request from each of N distinct clients (IPv4-like keys, a one-hour window so
 * nothing expires meanwhile), divided by the keys the store still tracks. Measured from before the
 * store is created, so what it allocates up front (lru-cache's index arrays) counts. Issue #4's
 * target: at most 150 bytes per tracked key for @keel/rate-limiter's memory store.
 */
import { createRateLimiter, memoryStore, type RateLimitAlgorithm } from "@keel/rate-limiter";
import { MemoryStore, type Options } from "express-rate-limit";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { retainedBytes } from "../src/measure/memory.js";
import type { MeasureCase, MeasureResult, MeasureSuite } from "../src/measure/suite.js";

const WINDOW_SEC = 3600;
const MILLION = 1_000_000;

/** The i-th client address, built on the fly so only a store that keeps it retains it. */
function clientKey(i: number): string {
  return `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
}

/**
 * Sends one request from each of `keys` clients through `consume`, then reads retained bytes.
 * `build` runs after the first reading, so the store's own allocation counts; the store stays
 * referenced until the second reading.
 */
async function perKey<S>(
  keys: number,
  build: () => S,
  consume: (store: S, key: string) => unknown,
  tracked: (store: S) => number,
): Promise<MeasureResult> {
  const before = retainedBytes();
  const store = build();
  for (let i = 0; i < keys; i++) await consume(store, clientKey(i));
  const after = retainedBytes();
  const size = tracked(store);
  return {
    values: { keys, tracked: size, bytesPerKey: (after - before) / size, totalMb: (after - before) / 1e6 },
  };
}

function keel(algorithm: RateLimitAlgorithm, keys: number, max?: number): MeasureCase {
  const bound = max ?? keys;
  return {
    name: `@keel/rate-limiter memoryStore, ${algorithm}${max === undefined ? "" : `, max ${bound.toLocaleString("en-US")}`}`,
    run: () =>
      perKey(
        keys,
        () => {
          const store = memoryStore({ max: bound });
          return { store, limiter: createRateLimiter({ store, algorithm, limit: 100, window: WINDOW_SEC }) };
        },
        ({ limiter }, key) => limiter.check(key),
        ({ store }) => store.size,
      ),
  };
}

export const suite: MeasureSuite = {
  name: "rate-limit-memory",
  group: "rate-limiter",
  title: "heap + ArrayBuffer bytes per tracked key after one request from each of N clients",
  columns: [
    { key: "keys", header: "clients" },
    { key: "tracked", header: "keys tracked" },
    { key: "bytesPerKey", header: "bytes/key" },
    { key: "totalMb", header: "total MB", digits: 1 },
  ],
  baseline: "express-rate-limit MemoryStore",
  compare: "bytesPerKey",
  timeoutSec: 180,
  cases: [
    {
      // The floor of any store that must find a client by key: the key strings and a hash table.
      name: "the keys alone, in a Set (floor)",
      run: () =>
        perKey(
          MILLION,
          () => new Set<string>(),
          (set, key) => set.add(key),
          (set) => set.size,
        ),
    },
    {
      name: "express-rate-limit MemoryStore",
      run: () =>
        perKey(
          MILLION,
          () => {
            const store = new MemoryStore();
            store.init({ windowMs: WINDOW_SEC * 1000 } as Options);
            return store;
          },
          (store, key) => store.increment(key),
          // Its maps are private; every key sent is tracked (the window never turns over here).
          () => MILLION,
        ),
    },
    {
      name: "rate-limiter-flexible RateLimiterMemory",
      run: () =>
        perKey(
          MILLION,
          () => new RateLimiterMemory({ points: 100, duration: WINDOW_SEC }),
          (limiter, key) => limiter.consume(key),
          () => MILLION,
        ),
    },
    keel("fixed-window", MILLION),
    keel("sliding-window", MILLION),
    keel("token-bucket", MILLION),
    keel("gcra", MILLION),
    keel("fixed-window", MILLION, 100_000),
  ],
};
