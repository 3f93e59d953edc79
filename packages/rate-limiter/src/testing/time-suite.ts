import { describe, expect, it } from "vitest";
import type { RateLimitPolicy } from "../types.js";
import { ALGORITHMS, type Harness, spend } from "./harness.js";

/**
 * Behaviour over time, for every store: with a manual clock it is instant; with a server clock it
 * waits in real time, so only these two tests wait (about a second each).
 */
export function timeSuite(h: () => Harness): void {
  it("admits again once the window has passed", async () => {
    const policy: RateLimitPolicy = { name: "second", algorithm: "fixed-window", limit: 2, windowMs: 1_000 };
    const key = h().key("window");
    await spend(h(), key, policy, 2);
    const refused = await h().one(key, policy);
    expect(refused.allowed).toBe(false);
    await h().pass(refused.retryAfterMs + (h().clock === undefined ? 50 : 0));
    expect(await h().one(key, policy)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it("keeps a key blocked past its window, and admits it once the block ends", async () => {
    const policy: RateLimitPolicy = {
      name: "blocky",
      algorithm: "gcra",
      limit: 1,
      windowMs: 300,
      blockMs: 1_000,
    };
    const key = h().key("block-ends");
    await spend(h(), key, policy, 1);
    const started = Date.now();
    const blocked = await h().one(key, policy);
    expect(blocked).toMatchObject({ allowed: false, retryAfterMs: 1_000 });
    await h().pass(400); // the 300 ms emission interval is over, the block is not
    const during = await h().one(key, policy);
    // In real time, only a machine that kept up can see the block still running.
    if (h().clock !== undefined || Date.now() - started < 900)
      expect(during.blockedUntil).toBe(blocked.blockedUntil);
    await h().pass(h().clock === undefined ? 650 : 600);
    expect(await h().one(key, policy)).toMatchObject({ allowed: true });
  });
}

/** Exact assertions, for stores that read the clock the suite controls. */
export function exactSuite(h: () => Harness): void {
  const T = () => (h().clock as NonNullable<Harness["clock"]>).now();

  it("runs fixed-window to the millisecond: window from the first request, exact retry", async () => {
    const policy: RateLimitPolicy = { name: "fw", algorithm: "fixed-window", limit: 3, windowMs: 1_000 };
    const key = h().key("fw");
    const t0 = T();
    for (const left of [2, 1, 0]) {
      expect(await h().one(key, policy)).toMatchObject({
        allowed: true,
        remaining: left,
        resetAt: t0 + 1_000,
      });
      await h().pass(100);
    }
    expect(await h().one(key, policy)).toEqual({
      allowed: false,
      remaining: 0,
      resetAt: t0 + 1_000,
      retryAfterMs: 700,
    });
    await h().pass(699);
    expect((await h().one(key, policy)).allowed).toBe(false);
    await h().pass(1);
    expect(await h().one(key, policy)).toEqual({
      allowed: true,
      remaining: 2,
      resetAt: T() + 1_000,
      retryAfterMs: 0,
    });
  });

  it("weights sliding-window's previous window by the share still inside", async () => {
    const policy: RateLimitPolicy = { name: "sw", algorithm: "sliding-window", limit: 10, windowMs: 1_000 };
    const key = h().key("sw");
    h().clock?.set(Math.ceil(T() / 1_000) * 1_000); // the start of an aligned window
    const start = T();
    expect(await h().one(key, policy, 10)).toMatchObject({
      allowed: true,
      remaining: 0,
      resetAt: start + 2_000,
    });
    await h().pass(1_250); // estimate 10 × 0.75 = 7.5
    expect(await h().one(key, policy, 3)).toEqual({
      allowed: false,
      remaining: 2,
      resetAt: start + 2_000,
      retryAfterMs: 50,
    });
    await h().pass(49);
    expect((await h().one(key, policy, 3)).allowed).toBe(false);
    await h().pass(1);
    expect(await h().one(key, policy, 3)).toMatchObject({
      allowed: true,
      remaining: 0,
      resetAt: start + 3_000,
    });
  });

  it("refills token-bucket continuously at limit per window", async () => {
    const policy: RateLimitPolicy = {
      name: "tb",
      algorithm: "token-bucket",
      limit: 10,
      windowMs: 1_000,
      burst: 20,
    };
    const key = h().key("tb");
    expect(await h().one(key, policy, 20)).toEqual({
      allowed: true,
      remaining: 0,
      resetAt: T() + 2_000,
      retryAfterMs: 0,
    });
    expect(await h().one(key, policy)).toMatchObject({ allowed: false, retryAfterMs: 100 });
    await h().pass(250);
    expect(await h().one(key, policy, 2)).toEqual({
      allowed: true,
      remaining: 0,
      resetAt: T() + 1_950,
      retryAfterMs: 0,
    });
  });

  it("spaces gcra requests by exact emission intervals, with a burst", async () => {
    const policy: RateLimitPolicy = { name: "gc", algorithm: "gcra", limit: 3, windowMs: 1_000 };
    const key = h().key("gcra");
    const t0 = T();
    await spend(h(), key, policy, 3);
    expect(await h().one(key, policy)).toEqual({
      allowed: false,
      remaining: 0,
      resetAt: t0 + 1_000,
      retryAfterMs: 334,
    });
    await h().pass(333);
    expect((await h().one(key, policy)).allowed).toBe(false);
    await h().pass(1);
    expect(await h().one(key, policy)).toMatchObject({ allowed: true, remaining: 0 });
  });

  describe.each(ALGORITHMS)("%s", (algorithm) => {
    it("admits a refused request exactly retryAfterMs later and not a millisecond sooner", async () => {
      const policy: RateLimitPolicy = { name: "exact", algorithm, limit: 7, windowMs: 1_300 };
      const key = h().key("exact");
      for (const gap of [0, 37, 400, 0, 91, 5, 0, 0, 260]) {
        await h().pass(gap);
        await h().one(key, policy, 2);
      }
      let refused = await h().one(key, policy, 3);
      for (let i = 0; i < 10 && refused.allowed; i++) refused = await h().one(key, policy, 3);
      expect(refused.allowed).toBe(false);
      await h().pass(refused.retryAfterMs - 1);
      expect((await h().one(key, policy, 3)).allowed).toBe(false);
      await h().pass(1);
      expect((await h().one(key, policy, 3)).allowed).toBe(true);
    });

    it("never refunds into a window that has ended", async () => {
      const policy: RateLimitPolicy = { name: "late", algorithm, limit: 4, windowMs: 1_000 };
      const key = h().key("late-refund");
      await spend(h(), key, policy, 4);
      await h().pass(5_000);
      await h().store.refund(key, [policy], 3);
      await spend(h(), key, policy, 4);
      expect((await h().one(key, policy)).allowed).toBe(false);
    });

    it("forgets state once it expires: a full quota again", async () => {
      const policy: RateLimitPolicy = {
        name: "expire",
        algorithm,
        limit: 2,
        windowMs: 1_000,
        blockMs: 3_000,
      };
      const key = h().key("expire");
      await spend(h(), key, policy, 2);
      await h().one(key, policy); // starts a block of 3 s
      await h().pass(3_000);
      await h().store.cleanup();
      expect(await h().one(key, policy, 0)).toMatchObject({ allowed: true, remaining: 2 });
    });
  });
}
