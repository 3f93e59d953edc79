import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hostileNumber,
  hostileString,
  notANumber,
  settle,
  typedOrOk,
} from "../../../../reliability/lib/hostile.js";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import { RateLimiterError } from "../../src/errors.js";
import { createRateLimiter, type RateLimiter } from "../../src/rate-limiter.js";
import type { RateLimitResult } from "../../src/result.js";
import { memoryStore } from "../../src/stores/memory.js";
import { redisStore } from "../../src/stores/redis.js";

// Every public method of a limiter, driven by hostile keys, limits, windows, costs and refunds, on
// memory and Redis: each call resolves as documented or rejects with a RateLimiterError, in time,
// and a sentinel key's state is untouched by calls on other keys.

const hasRedis = await redisAvailable();
const SENTINEL = "sentinel:{\u2603}";
const PREFIX = "ERR_KEEL_RATE_LIMIT_";
const algorithm = fc.constantFrom("fixed-window", "sliding-window", "token-bucket", "gcra");
// Symbols and bigints have their own test below (they fail today); the fuzz looks for other problems.
const number = fc.oneof(
  { weight: 4, arbitrary: hostileNumber },
  { weight: 1, arbitrary: notANumber.filter((v) => typeof v !== "symbol" && typeof v !== "bigint") },
);
const key = fc.oneof({ weight: 9, arbitrary: hostileString(48) }, { weight: 1, arbitrary: notANumber });

/** `burst` (token-bucket and gcra capacity) may exceed `limit`: then so may `remaining`. */
function expectWellFormed(result: RateLimitResult, burst?: unknown): void {
  expect(typeof result.allowed).toBe("boolean");
  expect(Number.isSafeInteger(result.remaining) && result.remaining >= 0).toBe(true);
  const capacity = typeof burst === "number" && burst > result.limit ? burst : result.limit;
  expect(result.remaining).toBeLessThanOrEqual(capacity);
  expect(Number.isSafeInteger(result.retryAfter) && result.retryAfter >= 0).toBe(true);
  expect(Number.isFinite(result.resetAt)).toBe(true);
  if (result.allowed) expect(result.retryAfter).toBe(0);
  else expect(result.retryAfter).toBeGreaterThanOrEqual(1);
}

type Op =
  | { kind: "check"; key: unknown; limit: unknown; window: unknown }
  | { kind: "checkWith"; key: unknown; options: Record<string, unknown> }
  | { kind: "get"; key: unknown; options: Record<string, unknown> }
  | { kind: "refund"; key: unknown; units: unknown }
  | { kind: "reset"; key: unknown }
  | { kind: "cleanup" };

const oneOff = fc.record({ limit: number, window: number, cost: number }, { requiredKeys: [] });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("check" as const),
    key,
    limit: fc.option(number, { nil: undefined }),
    window: fc.option(number, { nil: undefined }),
  }),
  fc.record({ kind: fc.constant("checkWith" as const), key, options: oneOff }),
  fc.record({
    kind: fc.constant("get" as const),
    key,
    options: fc.record({ limit: number, window: number }, { requiredKeys: [] }),
  }),
  fc.record({ kind: fc.constant("refund" as const), key, units: fc.option(number, { nil: undefined }) }),
  fc.record({ kind: fc.constant("reset" as const), key }),
  fc.constant({ kind: "cleanup" as const }),
);

async function run(limiter: RateLimiter, step: Op): Promise<void> {
  const label = `${step.kind}(${"key" in step ? String(step.key).slice(0, 60) : ""})`;
  const l = limiter as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const call = (): Promise<unknown> | undefined => {
    switch (step.kind) {
      case "check":
        return l.check?.(step.key, step.limit, step.window);
      case "checkWith":
        return l.check?.(step.key, step.options);
      case "get":
        return l.get?.(step.key, step.options);
      case "refund":
        return l.refund?.(step.key, step.units);
      case "reset":
        return l.reset?.(step.key);
      case "cleanup":
        return l.cleanup?.();
    }
  };
  const outcome = await settle(label, call, 3_000);
  if (typedOrOk(label, outcome, RateLimiterError, PREFIX)) {
    if (step.kind === "check" || step.kind === "checkWith" || step.kind === "get") {
      expectWellFormed(outcome.value as RateLimitResult);
    }
    if (step.kind === "cleanup")
      expect(Number.isSafeInteger(outcome.value) && (outcome.value as number) >= 0).toBe(true);
  }
}

interface Subject {
  readonly name: string;
  readonly runs: number;
  make(algorithm: string): Promise<{ limiter: RateLimiter; close(): Promise<void> }>;
}

const subjects: Subject[] = [
  {
    name: "memoryStore",
    runs: 200,
    async make(algorithm) {
      const limiter = createRateLimiter({
        limit: 5,
        window: 3_600,
        algorithm: algorithm as never,
        store: memoryStore({ max: 10_000 }),
      });
      return { limiter, close: () => limiter.close() };
    },
  },
];
if (hasRedis) {
  subjects.push({
    name: "redisStore",
    runs: 40,
    async make(algorithm) {
      const client = new Redis(REDIS_URL);
      const prefix = uniquePrefix("hostile-rl");
      const limiter = createRateLimiter({
        limit: 5,
        window: 3_600,
        algorithm: algorithm as never,
        store: redisStore({ client, prefix }),
        storeTimeout: 2_000,
        onStoreError: "deny",
      });
      return {
        limiter,
        async close() {
          await limiter.close();
          let cursor = "0";
          for (let round = 0; round < 1_000; round++) {
            const [next, keys] = (await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1_000)) as [
              string,
              string[],
            ];
            if (keys.length > 0) await client.unlink(...keys);
            cursor = next;
            if (cursor === "0") break;
          }
          client.disconnect();
        },
      };
    },
  });
}

describe.each(subjects)("a limiter on $name under hostile calls", (subject) => {
  for (const name of ["fixed-window", "sliding-window", "token-bucket", "gcra"]) {
    describe(name, () => {
      let limiter: RateLimiter;
      let close: () => Promise<void>;
      let errors = 0;
      beforeAll(async () => {
        ({ limiter, close } = await subject.make(name));
        limiter.on("store-error", () => errors++);
        for (let i = 0; i < 3; i++) expect((await limiter.check(SENTINEL)).allowed).toBe(true);
      });
      afterAll(() => close());

      it("answers every call as documented or with a RateLimiterError, in time, leaving other keys alone", async () => {
        const before = await limiter.get(SENTINEL);
        expect(before.remaining).toBe(2);
        await fc.assert(
          fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (steps) => {
            for (const step of steps) {
              if ("key" in step && step.key === SENTINEL) continue;
              await run(limiter, step);
            }
            const now = await limiter.get(SENTINEL);
            expect({ allowed: now.allowed, remaining: now.remaining }).toEqual({
              allowed: true,
              remaining: 2,
            });
          }),
          { numRuns: subject.runs / 4 },
        );
        expect(errors).toBe(0); // no hostile input made the store itself fail
      }, 60_000);
    });
  }
});

describe("limiter options under hostile values", () => {
  it("createRateLimiter returns a limiter or throws a RateLimiterError for any options", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            limit: number,
            window: number,
            burst: number,
            blockDuration: number,
            storeTimeout: number,
            algorithm: fc.oneof(algorithm, hostileString(12)),
            onStoreError: fc.oneof(fc.constantFrom("allow", "deny"), hostileString(8)),
            policies: fc.array(
              fc.record({ name: hostileString(8), limit: number, window: number }, { requiredKeys: [] }),
              { maxLength: 3 },
            ),
          },
          { requiredKeys: [] },
        ),
        async (options) => {
          const outcome = await settle("createRateLimiter", () => createRateLimiter(options as never));
          if (typedOrOk("createRateLimiter", outcome, RateLimiterError, PREFIX)) {
            const check = await settle("check", () => outcome.value.check("k"));
            if (typedOrOk("check", check, RateLimiterError, PREFIX))
              expectWellFormed(check.value, options.burst);
            await outcome.value.close();
          }
        },
      ),
      { numRuns: 1_000 },
    );
  }, 30_000);

  it("check and get refuse a Symbol or BigInt limit or window with a RateLimiterError, not a TypeError", async () => {
    const limiter = createRateLimiter({ limit: 5, window: 60 });
    const l = limiter as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const call of [
      () => l.check?.("k", Symbol("limit")),
      () => l.check?.("k", undefined, Symbol("window")),
      () => l.check?.("k", { limit: Symbol("limit") }),
      () => l.get?.("k", { window: Symbol("window") }),
      () => l.check?.("k", undefined, 10n),
      () => l.get?.("k", { limit: 10n }),
    ]) {
      const outcome = await settle("check", call);
      expect(outcome.ok).toBe(false);
      typedOrOk("check with a Symbol", outcome, RateLimiterError, PREFIX);
    }
    await limiter.close();
  });

  it("memoryStore refuses a max above what its 32-bit slots can index with a RateLimiterError", async () => {
    for (const max of [2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      const outcome = await settle("memoryStore", () => memoryStore({ max }));
      expect(outcome.ok).toBe(false);
      typedOrOk(`memoryStore({ max: ${max} })`, outcome, RateLimiterError, PREFIX);
    }
  });

  it("memoryStore answers a store or a RateLimiterError for any max", async () => {
    // Nothing is allocated for max up front, so any value is safe to try.
    const max = fc.oneof(hostileNumber, notANumber);
    await fc.assert(
      fc.asyncProperty(max, async (max) => {
        const outcome = await settle("memoryStore", () => memoryStore({ max: max as number }));
        if (typedOrOk("memoryStore", outcome, RateLimiterError, PREFIX)) await outcome.value.close();
      }),
    );
  });
});

describe("memoryStore under a flood of distinct keys", () => {
  it("holds at most max keys after a million distinct clients, and keeps limiting the newest", async () => {
    const store = memoryStore({ max: 1_000 });
    const limiter = createRateLimiter({ limit: 2, window: 60, store });
    for (let i = 0; i < 1_000_000; i++) await limiter.check(`ip:${i}`);
    expect(store.size).toBe(1_000);
    const newest = "ip:999999";
    expect((await limiter.check(newest)).allowed).toBe(true);
    expect((await limiter.check(newest)).allowed).toBe(false);
    await limiter.close();
  }, 30_000);
});
