import { describe, expect, it } from "vitest";
import { createRateLimiter } from "../src/rate-limiter.js";
import { memoryStore } from "../src/stores/memory.js";

type Options = Parameters<typeof createRateLimiter>[0];

function rejects(options: unknown, code: string, message: RegExp) {
  expect(() => createRateLimiter(options as Options)).toThrow(
    expect.objectContaining({ code, message: expect.stringMatching(message) }),
  );
}

describe("rate limiter options", () => {
  it("names the option and the value when a number is wrong", () => {
    rejects(
      { limit: 0, window: 60 },
      "ERR_KEEL_RATE_LIMIT_OPTION",
      /options\.limit must be a positive integer, got 0/,
    );
    rejects({ limit: 1.5, window: 60 }, "ERR_KEEL_RATE_LIMIT_OPTION", /got 1\.5/);
    rejects(
      { limit: 10, window: 0 },
      "ERR_KEEL_RATE_LIMIT_OPTION",
      /options\.window must be a positive number of seconds/,
    );
    rejects({ limit: 10, window: 0.0001 }, "ERR_KEEL_RATE_LIMIT_OPTION", /at least 0\.001/);
    rejects({ limit: 10, window: "60" }, "ERR_KEEL_RATE_LIMIT_OPTION", /got "60"/);
    rejects(
      { limit: 10, window: 60, blockDuration: -1 },
      "ERR_KEEL_RATE_LIMIT_OPTION",
      /blockDuration must be a number of seconds >= 0/,
    );
    rejects(
      { limit: 10, window: 60, storeTimeout: 0 },
      "ERR_KEEL_RATE_LIMIT_OPTION",
      /storeTimeout must be a positive number/,
    );
  });

  it("says what to give when there is no policy, and rejects unknown options", () => {
    rejects({}, "ERR_KEEL_RATE_LIMIT_OPTION", /give limit and window/);
    rejects(
      { limit: 10, window: 60, windowMs: 60_000 },
      "ERR_KEEL_RATE_LIMIT_OPTION",
      /unknown option "windowMs"/,
    );
    rejects(null, "ERR_KEEL_RATE_LIMIT_OPTION", /options must be an object, got null/);
  });

  it("accepts fractions of a second down to one millisecond", () => {
    const limiter = createRateLimiter({ limit: 1, window: 0.25, blockDuration: 1.5 });
    expect(limiter.policies[0]).toMatchObject({ windowMs: 250, blockMs: 1_500 });
  });

  it("validates algorithms, bursts and policy names", () => {
    rejects(
      { limit: 1, window: 1, algorithm: "leaky-bucket" },
      "ERR_KEEL_RATE_LIMIT_OPTION",
      /algorithm must be one of "fixed-window"/,
    );
    rejects(
      { limit: 1, window: 1, burst: 5 },
      "ERR_KEEL_RATE_LIMIT_POLICY",
      /burst applies to "token-bucket" and "gcra" only/,
    );
    rejects({ burst: 5 }, "ERR_KEEL_RATE_LIMIT_OPTION", /burst belongs to the default policy/);
    rejects(
      {
        policies: [
          { limit: 1, window: 1 },
          { limit: 1, window: 1 },
        ],
      },
      "ERR_KEEL_RATE_LIMIT_POLICY",
      /two policies are named "1\/1s"/,
    );
    rejects(
      { policies: [{ name: 'a"b', limit: 1, window: 1 }] },
      "ERR_KEEL_RATE_LIMIT_POLICY",
      /printable ASCII/,
    );
    rejects({ policies: "all" }, "ERR_KEEL_RATE_LIMIT_OPTION", /policies must be an array/);
    rejects({ limit: 1e9, window: 86_400 * 365 }, "ERR_KEEL_RATE_LIMIT_POLICY", /under 2\^52/);
    const limiter = createRateLimiter({ limit: 10, window: 1, algorithm: "gcra", burst: 20 });
    expect(limiter.policies[0]).toEqual({
      name: "default",
      algorithm: "gcra",
      limit: 10,
      windowMs: 1_000,
      burst: 20,
    });
  });

  it("applies the limiter's algorithm and blockDuration to policies that do not set their own", () => {
    const limiter = createRateLimiter({
      algorithm: "sliding-window",
      blockDuration: 10,
      policies: [
        { limit: 5, window: 1 },
        { name: "daily", limit: 100, window: 86_400, algorithm: "fixed-window", blockDuration: 0 },
      ],
    });
    expect(limiter.policies).toEqual([
      { name: "5/1s", algorithm: "sliding-window", limit: 5, windowMs: 1_000, blockMs: 10_000 },
      { name: "daily", algorithm: "fixed-window", limit: 100, windowMs: 86_400_000 },
    ]);
  });

  it("checks stores, lists, the failure policy and the clock", () => {
    rejects(
      { limit: 1, window: 1, store: {} },
      "ERR_KEEL_RATE_LIMIT_OPTION",
      /store must implement RateLimitStore/,
    );
    rejects(
      { limit: 1, window: 1, insurance: 5 },
      "ERR_KEEL_RATE_LIMIT_OPTION",
      /insurance must implement RateLimitStore/,
    );
    rejects(
      { limit: 1, window: 1, allowList: "admin" },
      "ERR_KEEL_RATE_LIMIT_OPTION",
      /allowList must be an array of keys or a function/,
    );
    rejects(
      { limit: 1, window: 1, onStoreError: "retry" },
      "ERR_KEEL_RATE_LIMIT_OPTION",
      /onStoreError must be "allow" or "deny"/,
    );
    rejects(
      { limit: 1, window: 1, clock: Date.now },
      "ERR_KEEL_RATE_LIMIT_OPTION",
      /clock must have a now\(\) method/,
    );
    expect(() =>
      createRateLimiter({
        limit: 1,
        window: 1,
        store: memoryStore(),
        storeTimeout: Number.POSITIVE_INFINITY,
      }),
    ).not.toThrow();
  });

  it("validates a one-off policy when it is first used", async () => {
    const limiter = createRateLimiter({ limit: 1, window: 1 });
    await expect(limiter.check("k", 0, 1)).rejects.toMatchObject({
      code: "ERR_KEEL_RATE_LIMIT_OPTION",
      message: /check\.limit/,
    });
  });
});
