import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RateLimiterError } from "../../src/errors.js";
import { memoryStore } from "../../src/stores/memory.js";
import { manualClock, runRateLimitStoreConformance } from "../../src/testing/index.js";
import type { RateLimitPolicy } from "../../src/types.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const minute: RateLimitPolicy = { name: "default", algorithm: "fixed-window", limit: 100, windowMs: 60_000 };

describe("memoryStore", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps a million distinct keys within its bound, in entries and in heap bytes", async () => {
    const store = memoryStore({ max: 10_000 });
    const before = heapAfterGc();
    let peak = 0;
    for (let i = 0; i < 1_000_000; i++) {
      store.consumeSync({ key: `spray:${i}`, policies: [minute], cost: 1 });
      if (i % 100_000 === 0) peak = Math.max(peak, store.size);
    }
    expect(Math.max(peak, store.size)).toBe(10_000);
    // 10,000 tracked keys cost about 1.5 MB; a store holding a million would need over 100 MB.
    expect(heapAfterGc() - before).toBeLessThan(8 * 1024 * 1024);
    await store.close();
  }, 60_000);

  it("spends under 150 heap bytes per tracked key (key strings not counted)", async () => {
    const count = 100_000;
    const keys = Array.from(
      { length: count },
      (_, i) => `ip:10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    );
    const before = heapAfterGc();
    const store = memoryStore({ max: count });
    for (const key of keys) store.consumeSync({ key, policies: [minute], cost: 1 });
    const perKey = (heapAfterGc() - before) / count;
    expect(store.size).toBe(count);
    expect(perKey).toBeLessThan(150);
    await store.close();
  }, 30_000);

  it.each(["fixed-window", "sliding-window", "token-bucket", "gcra"] as const)(
    "spends under 150 heap bytes per tracked key with %s (key strings not counted)",
    async (algorithm) => {
      const count = 100_000;
      const policy: RateLimitPolicy = { ...minute, algorithm };
      const keys = Array.from(
        { length: count },
        (_, i) => `ip:10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      );
      const before = heapAfterGc();
      const store = memoryStore({ max: count });
      for (const key of keys) store.consumeSync({ key, policies: [policy], cost: 1 });
      const perKey = (heapAfterGc() - before) / count;
      expect(store.size).toBe(count);
      expect(perKey).toBeLessThan(150);
      await store.close();
    },
    30_000,
  );

  it("counts a sliding window exactly past the packed counts' 32,767, moving that key's counts out", async () => {
    const clock = manualClock(60_000 * 28_333_334); // at the start of a window
    const store = memoryStore({ clock });
    const big: RateLimitPolicy = {
      name: "big",
      algorithm: "sliding-window",
      limit: 100_000,
      windowMs: 60_000,
    };
    const first = await store.consume({ key: "k", policies: [big], cost: 30_000 });
    const second = await store.consume({ key: "k", policies: [big], cost: 60_000 });
    const third = await store.consume({ key: "k", policies: [big], cost: 10_001 });
    const fourth = await store.consume({ key: "k", policies: [big], cost: 10_000 });
    expect([first[0]?.remaining, second[0]?.remaining]).toEqual([70_000, 10_000]);
    expect(third[0]?.allowed).toBe(false);
    expect(fourth[0]).toMatchObject({ allowed: true, remaining: 0 });
    // At the next window's start the previous window's 100,000 weigh in fully; half-way, half.
    clock.advance(60_000);
    expect((await store.consume({ key: "k", policies: [big], cost: 1 }))[0]?.allowed).toBe(false);
    clock.advance(30_000);
    const halfway = await store.consume({ key: "k", policies: [big], cost: 1 });
    expect(halfway[0]).toMatchObject({ allowed: true, remaining: 49_999 });
    await store.close();
  });

  it("forgets the least recently used key first, so a busy key survives a spray", async () => {
    const clock = manualClock();
    const store = memoryStore({ max: 100, clock });
    const tight = { ...minute, limit: 1 };
    await store.consume({ key: "busy", policies: [tight], cost: 1 });
    for (let i = 0; i < 1_000; i++) {
      await store.consume({ key: `spray:${i}`, policies: [tight], cost: 1 });
      if (i % 50 === 0) await store.consume({ key: "busy", policies: [tight], cost: 0 });
    }
    const [decision] = await store.consume({ key: "busy", policies: [tight], cost: 1 });
    expect(decision?.allowed).toBe(false);
    expect(store.size).toBe(100);
  });

  it("starts no timer, whatever it tracks", async () => {
    vi.useFakeTimers();
    const store = memoryStore({ clock: manualClock() });
    for (let i = 0; i < 100; i++)
      await store.consume({ key: `k${i}`, policies: [{ ...minute, blockMs: 5_000 }], cost: 150 });
    await store.cleanup();
    expect(vi.getTimerCount()).toBe(0);
    await store.close();
  });

  it("drops expired keys on cleanup and keeps live and blocked ones", async () => {
    const clock = manualClock();
    const store = memoryStore({ clock });
    const blocking: RateLimitPolicy = {
      name: "strict",
      algorithm: "fixed-window",
      limit: 1,
      windowMs: 1_000,
      blockMs: 100_000,
    };
    await store.consume({ key: "old", policies: [minute], cost: 1 });
    await store.consume({ key: "blocked", policies: [blocking], cost: 1 });
    await store.consume({ key: "blocked", policies: [blocking], cost: 1 }); // refused: blocked for 100 s
    clock.advance(59_000);
    await store.consume({ key: "live", policies: [minute], cost: 1 });
    clock.advance(1_000); // "old" expires now
    expect(await store.cleanup()).toBe(1);
    expect(store.size).toBe(2);
    clock.advance(60_000);
    expect(await store.cleanup()).toBe(2);
    expect(store.size).toBe(0);
  });

  it("matches a rebuilt policy by name and algorithm, and keeps other algorithms apart", async () => {
    const store = memoryStore({ clock: manualClock() });
    const one = { ...minute, limit: 1 };
    await store.consume({ key: "k", policies: [one], cost: 1 });
    const [again] = await store.consume({ key: "k", policies: [{ ...one }], cost: 1 });
    expect(again?.allowed).toBe(false);
    const [other] = await store.consume({ key: "k", policies: [{ ...one, algorithm: "gcra" }], cost: 1 });
    expect(other?.allowed).toBe(true);
  });

  it("keeps each policy's count apart when a second policy starts sharing a key", async () => {
    // The first policy's checks take a shortcut (every node is its own) until a second one arrives.
    const store = memoryStore({ clock: manualClock() });
    const first: RateLimitPolicy = { ...minute, name: "first", limit: 3 };
    const second: RateLimitPolicy = { ...minute, name: "second", limit: 2 };
    const spend = async (policy: RateLimitPolicy) =>
      (await store.consume({ key: "k", policies: [policy], cost: 1 }))[0];
    expect(await spend(first)).toMatchObject({ allowed: true, remaining: 2 });
    expect(await spend(second)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await spend(first)).toMatchObject({ allowed: true, remaining: 1 });
    expect(await spend(second)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await spend(second)).toMatchObject({ allowed: false, remaining: 0 });
    expect(await spend(first)).toMatchObject({ allowed: true, remaining: 0 });
    expect(await spend(first)).toMatchObject({ allowed: false });
    // a key that only the second policy has seen is its own, not the first's
    const [other] = await store.consume({ key: "only-second", policies: [second], cost: 1 });
    expect(other).toMatchObject({ allowed: true, remaining: 1 });
    expect((await store.consume({ key: "only-second", policies: [first], cost: 0 }))[0]).toMatchObject({
      remaining: 3,
    });
  });

  it("refuses a blocked key on every path, and only until the block ends", async () => {
    const clock = manualClock(1_000_000);
    const store = memoryStore({ clock });
    const blocking: RateLimitPolicy = { ...minute, name: "b", limit: 1, blockMs: 300_000 };
    const day: RateLimitPolicy = { ...minute, name: "day", limit: 1_000, windowMs: 86_400_000 };
    // blocked through a two-policy check...
    await store.consume({ key: "k", policies: [blocking, day], cost: 1 });
    const [refused] = await store.consume({ key: "k", policies: [blocking, day], cost: 1 });
    expect(refused).toMatchObject({ allowed: false, blockedUntil: 1_300_000 });
    // ...and seen by a one-policy check, while another key is not blocked
    clock.advance(120_000);
    expect((await store.consume({ key: "k", policies: [blocking], cost: 1 }))[0]).toMatchObject({
      allowed: false,
      retryAfterMs: 180_000,
      blockedUntil: 1_300_000,
    });
    expect((await store.consume({ key: "free", policies: [blocking], cost: 1 }))[0]?.allowed).toBe(true);
    clock.advance(180_000);
    expect((await store.consume({ key: "k", policies: [blocking], cost: 1 }))[0]).toMatchObject({
      allowed: true,
      remaining: 0,
    });
  });

  it("resets only the policies it is given", async () => {
    const store = memoryStore({ clock: manualClock() });
    const a: RateLimitPolicy = { ...minute, name: "a", limit: 1 };
    const b: RateLimitPolicy = { ...minute, name: "b", limit: 1 };
    const c: RateLimitPolicy = { ...minute, name: "c", limit: 1 };
    await store.consume({ key: "k", policies: [a, b, c], cost: 1 });
    await store.reset("k", [b]);
    const decisions = await store.consume({ key: "k", policies: [b], cost: 1 });
    expect(decisions[0]?.allowed).toBe(true);
    await store.reset("k", [a]);
    expect((await store.consume({ key: "k", policies: [c], cost: 0 }))[0]?.allowed).toBe(false);
    await store.reset("k", [b, c]);
    expect(store.size).toBe(0);
  });

  it("refuses every call after close with ERR_KEEL_RATE_LIMIT_CLOSED", async () => {
    const store = memoryStore();
    await store.close();
    const closed = { code: "ERR_KEEL_RATE_LIMIT_CLOSED" };
    await expect(store.consume({ key: "k", policies: [minute], cost: 1 })).rejects.toMatchObject(closed);
    await expect(store.refund("k", [minute], 1)).rejects.toMatchObject(closed);
    await expect(store.reset("k", [minute])).rejects.toMatchObject(closed);
    expect(await store.cleanup()).toBe(0);
  });

  it("rejects a bad max or clock when created", () => {
    expect(() => memoryStore({ max: 0 })).toThrow(/max must be a positive integer, got 0/);
    expect(() => memoryStore({ clock: {} as never })).toThrow(/clock must have a now\(\) method/);
  });

  it("turns an unknown algorithm into a rejected promise naming it, not a throw", async () => {
    const store = memoryStore();
    const odd = { ...minute, algorithm: "leaky" as never };
    const consumed = store.consume({ key: "k", policies: [odd], cost: 1 });
    await expect(consumed).rejects.toBeInstanceOf(RateLimiterError);
    await expect(consumed).rejects.toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_POLICY" });
    await expect(consumed).rejects.toThrow(/algorithm "leaky", which is not one of fixed-window/);
  });
});

const conformanceClock = manualClock();
runRateLimitStoreConformance({
  name: "memoryStore",
  createStore: () => memoryStore({ clock: conformanceClock }),
  clock: conformanceClock,
});
runRateLimitStoreConformance({ name: "memoryStore (real clock)", createStore: () => memoryStore() });
