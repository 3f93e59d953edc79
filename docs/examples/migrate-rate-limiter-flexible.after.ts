// After: @keel/rate-limiter. A refusal is a result, not an exception; store errors follow onStoreError.
import assert from "node:assert/strict";
import { createRateLimiter, memoryStore } from "@keel/rate-limiter";

const limiter = createRateLimiter({
  limit: 5,
  window: 1, // seconds, like `duration`
  blockDuration: 10, // seconds, like `blockDuration`
  insurance: memoryStore(), // like `insuranceLimiter`, for when a Redis store fails
});

const results = [];
for (let i = 0; i < 6; i++) results.push(await limiter.check("user:42", { cost: 1 }));
assert.deepEqual(
  results.map((r) => r.allowed),
  [true, true, true, true, true, false],
);
assert.equal(results[5]?.reason, "blocked"); // refused, then blocked for blockDuration
assert.ok((results[5]?.retryAfter ?? 0) >= 10); // whole seconds

await limiter.refund("user:42", 1); // like `reward`
await limiter.reset("user:42"); // like `delete`
assert.equal((await limiter.check("user:42")).allowed, true);
await limiter.close();
