import { describe, expect, it } from "vitest";
import type { RateLimitPolicy } from "../types.js";
import { ALGORITHMS, type Harness, hourly, spend, wellFormed } from "./harness.js";

/** The behaviour every store shows whatever its clock: counts, atomicity, costs, blocks, keys. */
export function contractSuite(h: () => Harness): void {
  it("declares its name and capabilities", () => {
    const { store } = h();
    expect(typeof store.name).toBe("string");
    expect(typeof store.capabilities.shared).toBe("boolean");
    expect(typeof store.capabilities.serverClock).toBe("boolean");
    if (store.capabilities.synchronous === true) expect(typeof store.consumeSync).toBe("function");
  });

  describe.each(ALGORITHMS)("%s", (algorithm) => {
    it("admits a new key up to its quota, counting remaining down, then refuses", async () => {
      const policy = hourly(algorithm, 5);
      const key = h().key("quota");
      for (let left = 4; left >= 0; left--) {
        expect(await h().one(key, policy)).toMatchObject({ allowed: true, remaining: left });
      }
      const refused = await h().one(key, policy);
      expect(refused).toMatchObject({ allowed: false, remaining: 0 });
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      // A sliding window may have to wait into the next window, until the weighted previous one
      // leaves room for one unit: at most (1 + 1/limit) windows (with a real clock, early in a window).
      const longest = policy.windowMs * (algorithm === "sliding-window" ? 1 + 1 / policy.limit : 1);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(longest);
    });

    it("never spends on a refusal: a smaller cost still fits afterwards", async () => {
      const policy = hourly(algorithm, 5);
      const key = h().key("refusal");
      await spend(h(), key, policy, 3);
      expect(await h().one(key, policy, 3)).toMatchObject({ allowed: false, remaining: 2 });
      expect(await h().one(key, policy, 2)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it("refuses a cost above capacity without spending or blocking, with a retry of one window", async () => {
      const policy = hourly(algorithm, 5, { blockMs: 60_000 });
      const key = h().key("over");
      const over = await h().one(key, policy, 6);
      expect(over).toMatchObject({ allowed: false, remaining: 5, retryAfterMs: policy.windowMs });
      expect(over.blockedUntil).toBeUndefined();
      expect(await h().one(key, policy, 5)).toMatchObject({ allowed: true, remaining: 0 });
    });

    it("peeks with cost 0 without spending or creating state", async () => {
      const policy = hourly(algorithm, 3);
      const key = h().key("peek");
      for (let i = 0; i < 3; i++)
        expect(await h().one(key, policy, 0)).toMatchObject({ allowed: true, remaining: 3 });
      await spend(h(), key, policy, 3);
      expect(await h().one(key, policy, 0)).toMatchObject({ allowed: false, remaining: 0 });
    });

    it("decides concurrent requests on one key as if one after the other", async () => {
      const policy = hourly(algorithm, 10);
      const key = h().key("concurrent");
      const decisions = await Promise.all(
        Array.from({ length: 40 }, () => h().store.consume({ key, policies: [policy], cost: 1 })),
      );
      expect(decisions.filter(([d]) => d?.allowed).length).toBe(10);
      const remaining = decisions.filter(([d]) => d?.allowed).map(([d]) => d?.remaining);
      expect(remaining.sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it("refunds units to a key, never above its quota", async () => {
      const policy = hourly(algorithm, 4);
      const key = h().key("refund");
      await spend(h(), key, policy, 4);
      await h().store.refund(key, [policy], 2);
      expect(await h().one(key, policy, 0)).toMatchObject({ allowed: true, remaining: 2 });
      await h().store.refund(key, [policy], 10);
      expect(await h().one(key, policy, 0)).toMatchObject({ remaining: 4 });
    });

    it("creates nothing when refunding a key it never saw", async () => {
      const policy = hourly(algorithm, 2);
      const key = h().key("refund-new");
      await h().store.refund(key, [policy], 5);
      await spend(h(), key, policy, 2);
      expect(await h().one(key, policy)).toMatchObject({ allowed: false });
    });
  });

  it("keeps keys apart, whatever characters they hold", async () => {
    const policy = hourly("fixed-window", 1);
    const base = h().key("chars");
    const keys = ["", "{", "}", "{x}", "}{", ":a", "a:", " ", "ключ", "🔑", "x".repeat(300)].map(
      (s) => `${base}${s}`,
    );
    for (const key of keys) expect(await h().one(key, policy)).toMatchObject({ allowed: true });
    for (const key of keys) expect(await h().one(key, policy)).toMatchObject({ allowed: false });
  });

  it("keeps policies of one key apart by name", async () => {
    const key = h().key("names");
    const a = { ...hourly("fixed-window", 1), name: "a" };
    const b = { ...hourly("fixed-window", 1), name: "b" };
    expect(await h().one(key, a)).toMatchObject({ allowed: true });
    expect(await h().one(key, b)).toMatchObject({ allowed: true });
    expect(await h().one(key, a)).toMatchObject({ allowed: false });
  });

  describe("several policies", () => {
    const wide = { ...hourly("fixed-window", 5), name: "wide" };
    const narrow = { ...hourly("token-bucket", 2), name: "narrow" };

    it("admits only when all admit, answers in policy order, and spends nothing on a refusal", async () => {
      const key = h().key("multi");
      for (let i = 0; i < 2; i++) {
        const decisions = await h().store.consume({ key, policies: [wide, narrow], cost: 1 });
        expect(decisions.map((d) => wellFormed(d).allowed)).toEqual([true, true]);
      }
      const [w, n] = (await h().store.consume({ key, policies: [wide, narrow], cost: 1 })).map(wellFormed);
      expect(n).toMatchObject({ allowed: false, remaining: 0 });
      // the wide policy admits, but nothing was spent: it still has 3 of 5
      expect(w).toMatchObject({ allowed: true, remaining: 3, retryAfterMs: 0 });
      expect(await h().one(key, wide, 0)).toMatchObject({ remaining: 3 });
    });

    it("blocks only the policy that refused", async () => {
      const key = h().key("multi-block");
      const blocking = { ...narrow, blockMs: 600_000 };
      await h().store.consume({ key, policies: [wide, blocking], cost: 2 });
      const [w, n] = await h().store.consume({ key, policies: [wide, blocking], cost: 1 });
      expect(w?.blockedUntil).toBeUndefined();
      expect(n?.blockedUntil).toBeGreaterThan(0);
      expect(await h().one(key, wide)).toMatchObject({ allowed: true, remaining: 2 });
    });
  });

  describe("blocks", () => {
    const policy: RateLimitPolicy = { ...hourly("fixed-window", 1), name: "blocking", blockMs: 600_000 };

    it("refuses a blocked key until the block ends, reporting blockedUntil", async () => {
      const key = h().key("block");
      await spend(h(), key, policy, 1);
      const first = await h().one(key, policy);
      expect(first).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 600_000 });
      expect(first.resetAt).toBe(first.blockedUntil);
      const again = await h().one(key, policy);
      expect(again.blockedUntil).toBe(first.blockedUntil);
      expect(again.retryAfterMs).toBeLessThanOrEqual(600_000);
      expect(await h().one(key, policy, 0)).toMatchObject({
        allowed: false,
        blockedUntil: first.blockedUntil,
      });
    });

    it("does not start a block on a peek", async () => {
      const key = h().key("peek-block");
      await spend(h(), key, policy, 1);
      expect((await h().one(key, policy, 0)).blockedUntil).toBeUndefined();
      expect((await h().one(key, policy, 0)).blockedUntil).toBeUndefined();
    });

    it("forgets blocks and counts on reset, for the policies given only", async () => {
      const key = h().key("reset");
      const other = { ...hourly("fixed-window", 1), name: "other" };
      await spend(h(), key, policy, 1);
      await spend(h(), key, other, 1);
      await h().one(key, policy);
      await h().store.reset(key, [policy]);
      expect(await h().one(key, policy)).toMatchObject({ allowed: true });
      expect(await h().one(key, other)).toMatchObject({ allowed: false });
    });
  });

  it("cleans up without error, answering a count", async () => {
    await h().one(h().key("cleanup"), hourly("gcra", 1));
    const dropped = await h().store.cleanup();
    expect(Number.isSafeInteger(dropped) && dropped >= 0).toBe(true);
  });
}
