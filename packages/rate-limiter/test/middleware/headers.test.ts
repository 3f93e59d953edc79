import { describe, expect, it } from "vitest";
import { policyField, rateLimitField, rateLimitHeaders } from "../../src/middleware/headers.js";
import type { RateLimitResult } from "../../src/result.js";

const T0 = 1_700_000_000_000;

const result = (overrides: Partial<RateLimitResult> = {}): RateLimitResult => ({
  allowed: true,
  limit: 10,
  window: 60,
  remaining: 7,
  resetAt: T0 + 42_300,
  retryAfter: 0,
  retryAfterMs: 0,
  policy: "default",
  policies: [
    {
      policy: "default",
      allowed: true,
      limit: 10,
      window: 60,
      remaining: 7,
      resetAt: T0 + 42_300,
      retryAfterMs: 0,
    },
  ],
  ...overrides,
});

describe("rate-limit headers", () => {
  it("writes the draft-10 structured fields, one member per policy", () => {
    const policies = [
      {
        policy: "second",
        allowed: true,
        limit: 10,
        window: 1,
        remaining: 9,
        resetAt: T0 + 1_000,
        retryAfterMs: 0,
      },
      {
        policy: "day",
        allowed: true,
        limit: 1000,
        window: 86_400,
        remaining: 990,
        resetAt: T0 + 3_600_500,
        retryAfterMs: 0,
      },
    ];
    expect(policyField(policies)).toBe('"second";q=10;w=1, "day";q=1000;w=86400');
    expect(rateLimitField(policies, T0)).toBe('"second";r=9;t=1, "day";r=990;t=3601');
  });

  it("leaves w out for a window that is not a whole number of seconds, and never sends a negative t", () => {
    const policy = {
      policy: "quick",
      allowed: true,
      limit: 5,
      window: 0.25,
      remaining: 4,
      resetAt: T0 - 5,
      retryAfterMs: 0,
    };
    expect(policyField([policy])).toBe('"quick";q=5');
    expect(rateLimitField([policy], T0)).toBe('"quick";r=4;t=0');
  });

  it("sends X-RateLimit-Reset in epoch seconds, rounded up", () => {
    expect(rateLimitHeaders(result(), "legacy", T0)).toEqual({
      "X-RateLimit-Limit": "10",
      "X-RateLimit-Remaining": "7",
      "X-RateLimit-Reset": "1700000043",
    });
  });

  it("sends only Retry-After, at least 1, when no quota applied to a refusal", () => {
    const refused = result({ allowed: false, reason: "store-error", retryAfter: 0, retryAfterMs: 300 });
    expect(rateLimitHeaders(refused, "both", T0)).toEqual({ "Retry-After": "1" });
    expect(rateLimitHeaders(result({ reason: "allow-listed" }), "both", T0)).toEqual({});
  });
});
