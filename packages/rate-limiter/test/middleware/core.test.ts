import type { RequestView } from "@keel/http";
import { describe, expect, it, vi } from "vitest";
import { createMiddlewareCore } from "../../src/middleware/core.js";
import { createRateLimiter } from "../../src/rate-limiter.js";
import { manualClock } from "../../src/testing/manual-clock.js";
import { faultyStore } from "../helpers/faulty-store.js";

const view = (remoteAddress = "192.0.2.1", headers: Record<string, string> = {}): RequestView => ({
  method: "GET",
  path: "/",
  query: "",
  remoteAddress,
  header: (name) => headers[name.toLowerCase()],
});

function rejects(options: unknown, message: RegExp) {
  expect(() => createMiddlewareCore(options as never)).toThrow(
    expect.objectContaining({ code: "ERR_KEEL_RATE_LIMIT_OPTION", message: expect.stringMatching(message) }),
  );
}

describe("the middleware core", () => {
  it("checks its options when created, naming the bad one", () => {
    rejects(null, /options must be an object/);
    rejects(
      { limit: 1, window: 1, headers: "all" },
      /headers must be "legacy", "draft", "both" or false, got "all"/,
    );
    rejects(
      { limit: 1, window: 1, statusCode: 200 },
      /statusCode must be an error status from 400 to 599, got 200/,
    );
    rejects({ limit: 1, window: 1, cost: -1 }, /cost must be a non-negative integer or a function/);
    rejects({ limit: 1, window: 1, keyGenerator: "ip" }, /keyGenerator must be a function/);
    rejects({ limit: 1, window: 1, ipv6Subnet: 129 }, /ipv6Subnet must be an integer from 0 to 128 or false/);
    rejects(
      { limit: 1, window: 1, ipv4Subnet: false },
      /ipv4Subnet must be an integer from 0 to 32, got false/,
    );
    rejects({ limit: 1, window: 1, message: 42 }, /message must be a string or a function/);
    rejects({ limit: 1, window: 1, trustProxy: "10.0.0.0/33" }, /trustProxy/);
    rejects(
      { limiter: createRateLimiter({ limit: 1, window: 1 }), limit: 5 },
      /either limiter or limiter options \(limit\)/,
    );
    expect(() => createMiddlewareCore({ limit: 1, window: 1, windowMs: 5 } as never)).toThrow(
      /unknown option "windowMs"/,
    );
  });

  it("keys by the IPv4 subnet it is given", async () => {
    const core = createMiddlewareCore({ limit: 1, window: 60, ipv4Subnet: 24 });
    expect((await core.decide(undefined, view("192.0.2.1"), {}))?.result.allowed).toBe(true);
    expect((await core.decide(undefined, view("192.0.2.200"), {}))?.result.allowed).toBe(false);
  });

  it("keeps every IPv6 address apart with ipv6Subnet: false", async () => {
    const core = createMiddlewareCore({ limit: 1, window: 60, ipv6Subnet: false });
    expect((await core.decide(undefined, view("2001:db8::1"), {}))?.result.allowed).toBe(true);
    expect((await core.decide(undefined, view("2001:db8::2"), {}))?.result.allowed).toBe(true);
  });

  it("counts requests without a known address under one key", async () => {
    const core = createMiddlewareCore({ limit: 1, window: 60 });
    await core.decide(undefined, view(undefined as never), {});
    expect((await core.decide(undefined, view(undefined as never), {}))?.result.allowed).toBe(false);
  });

  it("refuses an empty key from keyGenerator with ERR_KEEL_RATE_LIMIT_KEY", async () => {
    // Thrown at once by a synchronous keyGenerator, rejected by an asynchronous one.
    const core = createMiddlewareCore({ limit: 1, window: 60, keyGenerator: () => "" });
    expect(() => core.decide(undefined, view(), {})).toThrow(
      expect.objectContaining({ code: "ERR_KEEL_RATE_LIMIT_KEY" }),
    );
    const asyncCore = createMiddlewareCore({ limit: 1, window: 60, keyGenerator: async () => "" });
    await expect(asyncCore.decide(undefined, view(), {})).rejects.toMatchObject({
      code: "ERR_KEEL_RATE_LIMIT_KEY",
    });
  });

  it("decides in the same tick, without a promise, with the default key and a memory store", () => {
    const core = createMiddlewareCore({ limit: 2, window: 60 });
    const first = core.decide(undefined, view(), {});
    expect(first).not.toBeInstanceOf(Promise);
    expect(first).toMatchObject({ result: { allowed: true, remaining: 1 } });
  });

  it("builds the refusal message from a function of the result", async () => {
    const core = createMiddlewareCore({ limit: 1, window: 60, message: (r) => `wait ${r.retryAfter} s` });
    await core.decide(undefined, view(), {});
    const refused = await core.decide(undefined, view(), {});
    expect(JSON.parse(refused?.body ?? "")).toEqual({
      error: "Too Many Requests",
      message: "wait 60 s",
      retryAfter: 60,
    });
  });

  it("refunds once per request, and only what an ordinary admission spent", async () => {
    const limiter = createRateLimiter({ limit: 2, window: 60, clock: manualClock() });
    const refund = vi.spyOn(limiter, "refund");
    const core = createMiddlewareCore({
      limiter,
      skipSuccessfulRequests: true,
      requestWasSuccessful: (s) => s === 201,
    });
    const first = await core.decide(undefined, view(), {});
    first?.settle(201, false);
    first?.settle(201, false);
    const second = await core.decide(undefined, view(), {});
    second?.settle(200, false); // not a success by this definition: counted
    second?.settle(201, false);
    expect(refund).toHaveBeenCalledTimes(1);
  });

  it("treats an aborted response as failed", async () => {
    const limiter = createRateLimiter({ limit: 1, window: 60, clock: manualClock() });
    const core = createMiddlewareCore({ limiter, skipFailedRequests: true });
    (await core.decide(undefined, view(), {}))?.settle(200, true);
    await new Promise((resolve) => setImmediate(resolve));
    expect((await core.decide(undefined, view(), {}))?.result.allowed).toBe(true);
  });

  it("survives a refund the store fails, which the limiter reports", async () => {
    const clock = manualClock();
    const store = faultyStore(clock);
    const limiter = createRateLimiter({ store, limit: 1, window: 60, clock });
    const errors = vi.fn();
    limiter.on("store-error", errors);
    const core = createMiddlewareCore({ limiter, skipSuccessfulRequests: true });
    const verdict = await core.decide(undefined, view(), {});
    store.fault = "reject";
    verdict?.settle(200, false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ operation: "refund", fallback: "throw" }));
  });
});
