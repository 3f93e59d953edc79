// Before: rate-limiter-flexible. A refusal is a rejected promise carrying a RateLimiterRes.
import assert from "node:assert/strict";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

const limiter = new RateLimiterMemory({ points: 5, duration: 1, blockDuration: 10 }); // seconds

async function allow(key: string): Promise<{ allowed: boolean; retryAfterMs: number }> {
  try {
    await limiter.consume(key, 1);
    return { allowed: true, retryAfterMs: 0 };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterMs: rejection.msBeforeNext };
    throw rejection; // a store error
  }
}

const results = [];
for (let i = 0; i < 6; i++) results.push(await allow("user:42"));
assert.deepEqual(
  results.map((r) => r.allowed),
  [true, true, true, true, true, false],
);
assert.ok((results[5]?.retryAfterMs ?? 0) > 9000); // blocked for 10 s
