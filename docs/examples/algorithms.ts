// The four algorithms side by side, on a clock we move by hand so every decision is exact.
// Each allows 4 requests per 10-second window; the client sends bursts at chosen instants.
import assert from "node:assert/strict";
import { createRateLimiter, type RateLimitAlgorithm } from "@keel/rate-limiter";

let now = Date.UTC(2026, 0, 1, 12, 0, 0); // epoch ms, on a window boundary
const clock = { now: () => now };

async function admitted(
  algorithm: RateLimitAlgorithm,
  bursts: ReadonlyArray<[atSecond: number, requests: number]>,
) {
  now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const limiter = createRateLimiter({ algorithm, limit: 4, window: 10, clock });
  const counts: number[] = [];
  const start = now;
  for (const [atSecond, requests] of bursts) {
    now = start + atSecond * 1000;
    let allowed = 0;
    for (let i = 0; i < requests; i++) if ((await limiter.check("client")).allowed) allowed += 1;
    counts.push(allowed);
  }
  await limiter.close();
  return counts;
}

// One request at 0 s, 3 at 9 s, 4 at 11 s: a burst straddling the end of a window.
const straddle: Array<[number, number]> = [
  [0, 1],
  [9, 3],
  [11, 4],
];
// fixed-window: the window opened at 0 s closes at 10 s, so 7 requests pass between 9 s and 11 s.
assert.deepEqual(await admitted("fixed-window", straddle), [1, 3, 4]);
// sliding-window: at 11 s the previous window still weighs 90% of its 4: nothing more passes.
assert.deepEqual(await admitted("sliding-window", straddle), [1, 3, 0]);
// token-bucket: 4 tokens, one back every 2.5 s. Full again at 9 s, 3 spent, 1 left; by 11 s
// 0.8 more came back: 1 passes.
assert.deepEqual(await admitted("token-bucket", straddle), [1, 3, 1]);
// gcra: the same decisions as token-bucket, kept in one number (a theoretical arrival time).
assert.deepEqual(await admitted("gcra", straddle), [1, 3, 1]);

// A steady client, one request every 2.5 s: exactly the rate of 4 per 10 s.
const steady: Array<[number, number]> = Array.from({ length: 12 }, (_, i) => [4 + i * 2.5, 1]);
const everyOne = Array(12).fill(1);
assert.deepEqual(await admitted("fixed-window", steady), everyOne);
assert.deepEqual(await admitted("token-bucket", steady), everyOne);
assert.deepEqual(await admitted("gcra", steady), everyOne);
// sliding-window estimates the previous window as evenly spread, so a client right at the limit
// is refused now and then: give it a little headroom over the rate you expect.
assert.deepEqual(await admitted("sliding-window", steady), [1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1]);

// Several policies at once: 2 per second AND 5 per minute, all decided together.
now = Date.UTC(2026, 0, 1, 12, 0, 0);
const limiter = createRateLimiter({
  clock,
  policies: [
    { name: "burst", limit: 2, window: 1 },
    { name: "minute", limit: 5, window: 60, algorithm: "sliding-window" },
  ],
});
const decisions = [];
for (let second = 0; second < 4; second++) {
  now += 1000;
  for (let i = 0; i < 2; i++) decisions.push(await limiter.check("client"));
}
assert.deepEqual(
  decisions.map((d) => d.allowed),
  [true, true, true, true, true, false, false, false],
);
assert.equal(decisions[5]?.reason, "limit");
// The refused decision names the policy that refused it, with its own remaining units.
assert.deepEqual(
  decisions[5]?.policies.filter((p) => !p.allowed).map((p) => p.policy),
  ["minute"],
);

// Costs: an export costs 5 units of a 10-unit budget.
const exports = createRateLimiter({ limit: 10, window: 60, clock });
assert.equal((await exports.check("client", { cost: 5 })).remaining, 5);
assert.equal((await exports.check("client", { cost: 5 })).remaining, 0);
assert.equal((await exports.check("client", { cost: 1 })).allowed, false);
await exports.close();
await limiter.close();
