import { describe, expect, it } from "vitest";
import { BlockedKeyCache } from "../../src/stores/redis/blocked-cache.js";
import type { PolicyDecision, RateLimitPolicy } from "../../src/types.js";

const second: RateLimitPolicy = {
  name: "second",
  algorithm: "gcra",
  limit: 1,
  windowMs: 1_000,
  blockMs: 10_000,
};
const day: RateLimitPolicy = { name: "day", algorithm: "fixed-window", limit: 100, windowMs: 86_400_000 };
const blocked = (until: number): PolicyDecision => ({
  allowed: false,
  remaining: 0,
  resetAt: until,
  retryAfterMs: 10_000,
  blockedUntil: until,
});
const open: PolicyDecision = { allowed: true, remaining: 99, resetAt: 5_000_000, retryAfterMs: 0 };

// Redis time runs 1,000,000 ms ahead of the local (fake) clock in these tests.
function setup(max = 10) {
  const clock = { t: 0, now: () => clock.t };
  return { clock, cache: new BlockedKeyCache(max, clock) };
}

describe("BlockedKeyCache", () => {
  it("answers a blocked key with the time left on Redis's clock, and other policies with their last decision", () => {
    const { clock, cache } = setup();
    cache.remember("k", [second, day], [blocked(1_010_000), open], 1_000_000, 0);
    clock.t = 4_000;
    expect(cache.lookup("k", [second, day])).toEqual([
      { allowed: false, remaining: 0, resetAt: 1_010_000, retryAfterMs: 6_000, blockedUntil: 1_010_000 },
      open,
    ]);
  });

  it("lets the key go to Redis once its block ends", () => {
    const { clock, cache } = setup();
    cache.remember("k", [second], [blocked(1_010_000)], 1_000_000, 0);
    clock.t = 10_000;
    expect(cache.lookup("k", [second])).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("sends to Redis a request naming no blocked policy, or a policy it has not seen", () => {
    const { cache } = setup();
    cache.remember("k", [second, day], [blocked(1_010_000), open], 1_000_000, 0);
    expect(cache.lookup("k", [day])).toBeUndefined();
    expect(cache.lookup("k", [second, { ...day, name: "hour" }])).toBeUndefined();
    expect(cache.lookup("other", [second])).toBeUndefined();
  });

  it("measures the clock offset from when the request was sent, so it never refuses past the block", () => {
    const { clock, cache } = setup();
    // Sent at local 0, answered at local 300: Redis ran the script at 1,000,100.
    clock.t = 300;
    cache.remember("k", [second], [blocked(1_010_100)], 1_000_100, 0);
    clock.t = 9_999;
    expect(cache.lookup("k", [second])?.[0]?.retryAfterMs).toBe(1);
    clock.t = 10_000;
    expect(cache.lookup("k", [second])).toBeUndefined();
  });

  it("forgets a key when Redis answers it without a block", () => {
    const { cache } = setup();
    cache.remember("k", [second], [blocked(1_010_000)], 1_000_000, 0);
    cache.remember("k", [second], [open], 1_000_000, 0);
    expect(cache.size).toBe(0);
  });

  it("holds at most max keys, dropping the oldest first", () => {
    const { cache } = setup(3);
    for (let i = 0; i < 10; i += 1) cache.remember(`k${i}`, [second], [blocked(1_010_000)], 1_000_000, 0);
    expect(cache.size).toBe(3);
    expect(cache.lookup("k6", [second])).toBeUndefined();
    expect(cache.lookup("k9", [second])).toBeDefined();
  });

  it("remembers nothing when its size is 0", () => {
    const { cache } = setup(0);
    cache.remember("k", [second], [blocked(1_010_000)], 1_000_000, 0);
    expect(cache.size).toBe(0);
  });

  it("prunes ended blocks, forgets on reset and clears on close", () => {
    const { clock, cache } = setup();
    cache.remember("short", [second], [blocked(1_001_000)], 1_000_000, 0);
    cache.remember("long", [second], [blocked(1_050_000)], 1_000_000, 0);
    cache.remember("reset", [second], [blocked(1_050_000)], 1_000_000, 0);
    clock.t = 2_000;
    expect(cache.prune()).toBe(1);
    cache.forget("reset");
    expect(cache.size).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});
