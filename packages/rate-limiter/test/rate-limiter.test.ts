import { afterEach, describe, expect, it, vi } from "vitest";
import { createRateLimiter } from "../src/rate-limiter.js";
import { memoryStore } from "../src/stores/memory.js";
import { manualClock } from "../src/testing/manual-clock.js";
import { faultyStore } from "./helpers/faulty-store.js";

const T0 = 1_700_000_000_000;

function setup(options: Parameters<typeof createRateLimiter>[0]) {
  const clock = manualClock(T0);
  const limiter = createRateLimiter({ clock, ...options });
  return { clock, limiter };
}

describe("createRateLimiter", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  describe("the original's API", () => {
    it("admits limit requests per window and reports resetAt in epoch ms and retryAfter in whole seconds", async () => {
      const { clock, limiter } = setup({ limit: 2, window: 60 });
      expect(await limiter.check("user:1")).toEqual({
        allowed: true,
        limit: 2,
        window: 60,
        remaining: 1,
        resetAt: T0 + 60_000,
        retryAfter: 0,
        retryAfterMs: 0,
        policy: "default",
        policies: [
          {
            policy: "default",
            allowed: true,
            limit: 2,
            window: 60,
            remaining: 1,
            resetAt: T0 + 60_000,
            retryAfterMs: 0,
          },
        ],
      });
      await limiter.check("user:1");
      clock.advance(10_500);
      const refused = await limiter.check("user:1");
      expect(refused).toMatchObject({
        allowed: false,
        remaining: 0,
        retryAfter: 50,
        retryAfterMs: 49_500,
        reason: "limit",
      });
      clock.advance(49_500);
      expect((await limiter.check("user:1")).allowed).toBe(true);
    });

    it("keeps check(key, limit, window) as a one-off policy with its own counter", async () => {
      const { limiter } = setup({ limit: 100, window: 60 });
      expect(await limiter.check("k", 1, 10)).toMatchObject({
        allowed: true,
        limit: 1,
        window: 10,
        policy: "1/10s",
      });
      expect(await limiter.check("k", 1, 10)).toMatchObject({ allowed: false, policy: "1/10s" });
      expect(await limiter.check("k")).toMatchObject({ allowed: true, remaining: 99, policy: "default" });
      // the limiter's own limit and window are its default policy, not a second counter
      expect(await limiter.check("k", 100, 60)).toMatchObject({ remaining: 98, policy: "default" });
    });

    it("resets a key under every policy it has used, one-off ones included", async () => {
      const { limiter } = setup({ limit: 1, window: 60 });
      await limiter.check("k");
      await limiter.check("k", { limit: 1, window: 5 });
      await limiter.reset("k");
      expect((await limiter.check("k")).allowed).toBe(true);
      expect((await limiter.check("k", 1, 5)).allowed).toBe(true);
    });

    it("drops expired keys on cleanup and says how many", async () => {
      const { clock, limiter } = setup({ limit: 5, window: 1 });
      await Promise.all(["a", "b", "c"].map((key) => limiter.check(key)));
      clock.advance(1_000);
      expect(await limiter.cleanup()).toBe(3);
      expect(await limiter.cleanup()).toBe(0);
    });
  });

  describe("cost, peek and refund", () => {
    it("spends cost units at once", async () => {
      const { limiter } = setup({ limit: 10, window: 60 });
      expect(await limiter.check("k", { cost: 7 })).toMatchObject({ allowed: true, remaining: 3 });
      expect(await limiter.check("k", { cost: 4 })).toMatchObject({
        allowed: false,
        remaining: 3,
        reason: "limit",
      });
    });

    it("refuses a cost above the limit with a clear reason, spending and blocking nothing", async () => {
      const { limiter } = setup({ limit: 10, window: 60, blockDuration: 600 });
      await limiter.check("k", { cost: 2 });
      expect(await limiter.check("k", { cost: 11 })).toMatchObject({
        allowed: false,
        remaining: 8,
        retryAfter: 60,
        reason: "cost-exceeds-limit",
      });
      expect(await limiter.check("k", { cost: 8 })).toMatchObject({ allowed: true, remaining: 0 });
    });

    it("peeks with get without spending or creating state", async () => {
      const { limiter } = setup({ limit: 3, window: 60 });
      expect(await limiter.get("k")).toMatchObject({ allowed: true, remaining: 3 });
      await limiter.check("k");
      expect(await limiter.get("k")).toMatchObject({ allowed: true, remaining: 2 });
      expect(await limiter.get("k")).toMatchObject({ allowed: true, remaining: 2 });
      expect(await limiter.cleanup()).toBe(0);
    });

    it("refunds units to the current window, and never into one that has ended", async () => {
      const { clock, limiter } = setup({ limit: 3, window: 60 });
      await limiter.check("k", { cost: 3 });
      await limiter.refund("k", 2);
      expect(await limiter.get("k")).toMatchObject({ remaining: 2 });
      await limiter.check("k", { cost: 2 });
      clock.advance(60_000);
      await limiter.refund("k", 3);
      await limiter.check("k", { cost: 3 });
      expect(await limiter.check("k")).toMatchObject({ allowed: false });
    });

    it("rejects a negative or fractional cost or refund", async () => {
      const { limiter } = setup({ limit: 3, window: 60 });
      await expect(limiter.check("k", { cost: -1 })).rejects.toMatchObject({
        code: "ERR_KEEL_RATE_LIMIT_COST",
      });
      await expect(limiter.check("k", { cost: 1.5 })).rejects.toMatchObject({
        code: "ERR_KEEL_RATE_LIMIT_COST",
      });
      await expect(limiter.refund("k", -2)).rejects.toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_COST" });
    });
  });

  describe("several policies", () => {
    const policies = [
      { name: "second", limit: 2, window: 1 },
      { name: "minute", limit: 3, window: 60 },
    ];

    it("admits only when every policy admits, spends nothing otherwise, and names the policy that refused", async () => {
      const { clock, limiter } = setup({ policies });
      expect(await limiter.check("k")).toMatchObject({ allowed: true, policy: "second", remaining: 1 });
      expect(await limiter.check("k")).toMatchObject({ allowed: true, remaining: 0 });
      const refused = await limiter.check("k");
      expect(refused).toMatchObject({
        allowed: false,
        policy: "second",
        reason: "limit",
        retryAfterMs: 1_000,
      });
      // the minute policy admitted but spent nothing: one unit is still left there
      expect(refused.policies[1]).toMatchObject({ policy: "minute", allowed: true, remaining: 1 });
      clock.advance(1_000);
      expect(await limiter.check("k")).toMatchObject({ allowed: true, policy: "minute", remaining: 0 });
      clock.advance(1_000);
      expect(await limiter.check("k")).toMatchObject({
        allowed: false,
        policy: "minute",
        retryAfterMs: 58_000,
      });
    });

    it("reports the longest wait when several policies refuse", async () => {
      const { limiter } = setup({
        policies: [
          { limit: 1, window: 1 },
          { limit: 1, window: 10 },
        ],
      });
      await limiter.check("k");
      expect(await limiter.check("k")).toMatchObject({ allowed: false, policy: "1/10s", retryAfter: 10 });
    });
  });

  describe("blockDuration", () => {
    it("keeps a key refused for the block once it exceeds, and tells listeners once", async () => {
      const { clock, limiter } = setup({ limit: 1, window: 1, blockDuration: 30 });
      const blocked = vi.fn();
      limiter.on("blocked", blocked);
      await limiter.check("k");
      expect(await limiter.check("k")).toMatchObject({ allowed: false, reason: "blocked", retryAfter: 30 });
      clock.advance(10_000);
      expect(await limiter.check("k")).toMatchObject({
        allowed: false,
        reason: "blocked",
        retryAfterMs: 20_000,
      });
      expect(blocked).toHaveBeenCalledTimes(1);
      expect(blocked).toHaveBeenCalledWith({ key: "k", policy: "default", blockedUntil: T0 + 30_000 });
      clock.advance(20_000);
      expect((await limiter.check("k")).allowed).toBe(true);
    });
  });

  describe("allow and deny lists", () => {
    it("refuses denied keys and admits allowed keys without asking the store", async () => {
      const clock = manualClock(T0);
      const store = faultyStore(clock);
      const limiter = createRateLimiter({
        store,
        clock,
        limit: 1,
        window: 60,
        allowList: ["admin"],
        denyList: (key) => key.startsWith("bad:"),
      });
      expect(await limiter.check("bad:1")).toMatchObject({
        allowed: false,
        reason: "denied",
        retryAfter: 60,
      });
      for (let i = 0; i < 3; i++)
        expect(await limiter.check("admin")).toMatchObject({ allowed: true, reason: "allow-listed" });
      expect(store.calls.consume).toBe(0);
    });
  });

  describe("when the store fails", () => {
    it("fails open by default, and emits and counts the error", async () => {
      const clock = manualClock(T0);
      const store = faultyStore(clock);
      store.fault = "reject";
      const limiter = createRateLimiter({ store, clock, limit: 1, window: 60 });
      const errors: unknown[] = [];
      const storeErrors = vi.fn();
      limiter.on("error", (error) => errors.push(error));
      limiter.on("store-error", storeErrors);
      expect(await limiter.check("k")).toMatchObject({ allowed: true, reason: "store-error", remaining: 1 });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        code: "ERR_KEEL_RATE_LIMIT_STORE",
        cause: { message: "connection refused" },
      });
      expect(storeErrors).toHaveBeenCalledWith(
        expect.objectContaining({ store: "faulty", operation: "consume", key: "k", fallback: "allow" }),
      );
      expect(limiter.stats()).toMatchObject({ checks: 1, allowed: 1, storeErrors: 1, fallbacks: 1 });
    });

    it("fails closed with onStoreError: deny, with a one-second retry", async () => {
      const clock = manualClock(T0);
      const store = faultyStore(clock);
      store.fault = "reject";
      const limiter = createRateLimiter({ store, clock, limit: 1, window: 60, onStoreError: "deny" });
      expect(await limiter.check("k")).toMatchObject({
        allowed: false,
        reason: "store-error",
        retryAfter: 1,
      });
    });

    it("answers within storeTimeout when the store never does", async () => {
      vi.useFakeTimers();
      const clock = manualClock(T0);
      const store = faultyStore(clock);
      store.fault = "hang";
      const limiter = createRateLimiter({ store, clock, limit: 1, window: 60, storeTimeout: 100 });
      const errors: unknown[] = [];
      limiter.on("error", (error) => errors.push(error));
      let settled = false;
      const pending = limiter.check("k").finally(() => {
        settled = true;
      });
      await vi.advanceTimersByTimeAsync(99);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await pending).toMatchObject({ allowed: true, reason: "store-error" });
      expect(errors[0]).toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_STORE_TIMEOUT" });
      expect(limiter.stats()).toMatchObject({ storeTimeouts: 1 });
    });

    it("keeps no timer alive for a store call", async () => {
      const clock = manualClock(T0);
      const store = faultyStore(clock);
      store.fault = "hang";
      const limiter = createRateLimiter({ store, clock, limit: 1, window: 60, storeTimeout: 60_000 });
      const before = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
      void limiter.check("k");
      expect(process.getActiveResourcesInfo().filter((r) => r === "Timeout").length).toBe(before);
    });

    it("sends one call at a time to a failing store and decides the rest without it", async () => {
      vi.useFakeTimers();
      const clock = manualClock(T0);
      const store = faultyStore(clock);
      store.fault = "hang";
      const limiter = createRateLimiter({ store, clock, limit: 100, window: 60 });
      const first = limiter.check("k");
      await vi.advanceTimersByTimeAsync(100); // the first call times out: the store is now failing
      await first;
      const probe = limiter.check("k");
      const others = await Promise.all(Array.from({ length: 10 }, () => limiter.check("k")));
      expect(others.every((r) => r.reason === "store-error")).toBe(true);
      expect(store.calls.consume).toBe(2);
      await vi.advanceTimersByTimeAsync(100);
      await probe;
    });

    it("limits from the insurance store while the main store fails, and returns to the main store when it answers", async () => {
      const clock = manualClock(T0);
      const store = faultyStore(clock);
      const insurance = memoryStore({ clock });
      const limiter = createRateLimiter({ store, insurance, clock, limit: 2, window: 60 });
      const recovered = vi.fn();
      limiter.on("store-recovered", recovered);
      await limiter.check("k");
      store.fault = "reject";
      expect(await limiter.check("k")).toMatchObject({ allowed: true, remaining: 1 });
      expect(await limiter.check("k")).toMatchObject({ allowed: true, remaining: 0 });
      expect(await limiter.check("k")).toMatchObject({ allowed: false, reason: "limit" });
      await limiter.refund("k", 1); // spent in the insurance store, refunded there
      expect(await limiter.check("k")).toMatchObject({ allowed: true, remaining: 0 });
      store.fault = "none";
      expect(await limiter.check("k")).toMatchObject({ allowed: true, remaining: 0 }); // the main store's count
      expect(recovered).toHaveBeenCalledWith({ failures: 4 });
      expect(await limiter.check("k")).toMatchObject({ allowed: false });
      expect(limiter.stats()).toMatchObject({ fallbacks: 4, storeErrors: 4 });
    });

    it("falls back to onStoreError when the insurance store fails too", async () => {
      const clock = manualClock(T0);
      const store = faultyStore(clock);
      const insurance = faultyStore(clock, "backup");
      store.fault = "reject";
      insurance.fault = "reject";
      const limiter = createRateLimiter({
        store,
        insurance,
        clock,
        limit: 2,
        window: 60,
        onStoreError: "deny",
      });
      const events = vi.fn();
      limiter.on("store-error", events);
      expect(await limiter.check("k")).toMatchObject({ allowed: false, reason: "store-error" });
      expect(events.mock.calls.map(([e]) => [e.store, e.fallback])).toEqual([
        ["faulty", "insurance"],
        ["backup", "deny"],
      ]);
    });

    it("still refuses a cost above the limit while the store fails open", async () => {
      const clock = manualClock(T0);
      const store = faultyStore(clock);
      store.fault = "reject";
      const limiter = createRateLimiter({ store, clock, limit: 2, window: 60 });
      expect(await limiter.check("k", { cost: 3 })).toMatchObject({
        allowed: false,
        reason: "cost-exceeds-limit",
      });
    });

    it("treats a reply that is not one decision per policy as a failure", async () => {
      const clock = manualClock(T0);
      const store = faultyStore(clock);
      store.fault = "garbage";
      const limiter = createRateLimiter({ store, clock, limit: 2, window: 60 });
      const errors: unknown[] = [];
      limiter.on("error", (error) => errors.push(error));
      expect(await limiter.check("k")).toMatchObject({ reason: "store-error" });
      expect(errors[0]).toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_STORE_REPLY" });
    });

    it("decides by onStoreError when a synchronous store throws", async () => {
      const store = memoryStore();
      await store.close();
      const limiter = createRateLimiter({ store, limit: 2, window: 60, onStoreError: "deny" });
      const errors: unknown[] = [];
      limiter.on("error", (error) => errors.push(error));
      expect(await limiter.check("k")).toMatchObject({ allowed: false, reason: "store-error" });
      expect(errors[0]).toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_CLOSED" });
    });

    it("handles a store that throws instead of rejecting, and one with no timeout at all", async () => {
      const clock = manualClock(T0);
      const throwing = faultyStore(clock, "throwing");
      throwing.consume = () => {
        throw new TypeError("not a promise");
      };
      const limiter = createRateLimiter({ store: throwing, clock, limit: 1, window: 60 });
      const errors: unknown[] = [];
      limiter.on("error", (error) => errors.push(error));
      expect(await limiter.check("k")).toMatchObject({ allowed: true, reason: "store-error" });
      expect(errors[0]).toMatchObject({
        code: "ERR_KEEL_RATE_LIMIT_STORE",
        cause: new TypeError("not a promise"),
      });

      const rejecting = faultyStore(clock);
      rejecting.fault = "reject";
      const untimed = createRateLimiter({
        store: rejecting,
        clock,
        limit: 1,
        window: 60,
        storeTimeout: Number.POSITIVE_INFINITY,
      });
      expect(await untimed.check("k")).toMatchObject({ reason: "store-error" });
      rejecting.fault = "none";
      expect(await untimed.check("k")).toMatchObject({ allowed: true, remaining: 0 });
    });

    it("throws store failures on refund, reset and cleanup, after emitting them", async () => {
      const clock = manualClock(T0);
      const store = faultyStore(clock);
      store.fault = "reject";
      const limiter = createRateLimiter({ store, clock, limit: 2, window: 60 });
      const events = vi.fn();
      limiter.on("store-error", events);
      await expect(limiter.refund("k")).rejects.toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_STORE" });
      await expect(limiter.reset("k")).rejects.toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_STORE" });
      await expect(limiter.cleanup()).rejects.toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_STORE" });
      expect(events.mock.calls.map(([e]) => [e.operation, e.fallback])).toEqual([
        ["refund", "throw"],
        ["reset", "throw"],
        ["cleanup", "throw"],
      ]);
    });
  });

  describe("lifecycle and events", () => {
    it("closes the store it created, never one it was given, and refuses checks after close", async () => {
      const given = memoryStore();
      const limiter = createRateLimiter({ store: given, limit: 1, window: 1 });
      await limiter.close();
      await limiter.close();
      expect((await given.consume({ key: "k", policies: limiter.policies, cost: 1 }))[0]?.allowed).toBe(true);
      await expect(limiter.check("k")).rejects.toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_CLOSED" });
      expect(await limiter.cleanup()).toBe(0);
      const own = createRateLimiter({ limit: 1, window: 1 });
      await own.close();
      await expect(own.store.consume({ key: "k", policies: own.policies, cost: 1 })).rejects.toMatchObject({
        code: "ERR_KEEL_RATE_LIMIT_CLOSED",
      });
    });

    it("rejects an empty or non-string key", async () => {
      const { limiter } = setup({ limit: 1, window: 1 });
      await expect(limiter.check("")).rejects.toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_KEY" });
      await expect(limiter.get(42 as never)).rejects.toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_KEY" });
    });

    it("reports a listener that throws as an error event instead of throwing", async () => {
      const { limiter } = setup({ limit: 1, window: 1, blockDuration: 1 });
      const errors: unknown[] = [];
      const off = limiter.on("blocked", () => {
        throw new Error("listener bug");
      });
      limiter.on("error", (error) => errors.push(error));
      await limiter.check("k");
      await expect(limiter.check("k")).resolves.toMatchObject({ reason: "blocked" });
      expect(errors).toEqual([new Error("listener bug")]);
      off();
    });
  });
});
