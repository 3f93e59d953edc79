import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import { algorithmNames } from "../../src/algorithms/registry.js";
import { memoryStore } from "../../src/stores/memory.js";
import { consumeScript } from "../../src/stores/redis/lua/consume.js";
import { refundScript } from "../../src/stores/redis/lua/refund.js";
import { decodeConsumeReply } from "../../src/stores/redis/reply.js";
import { consumeCall, refundCall } from "../../src/stores/redis/requests.js";
import { runScript } from "../../src/stores/redis/script.js";
import type { RateLimitPolicy } from "../../src/types.js";
import { connectClient, type TestClient } from "../redis/clients.js";

// The Lua scripts against the memory store, whose JavaScript (src/algorithms and stores/memory.ts) they
// mirror: every step runs on Redis, then on a memory store whose clock reads the `now` Redis reported.
// Decisions must be identical, field for field, across window changes (short windows pass in real
// time), refills, refunds, blocks, over-capacity costs, peeks and several policies at once. Redis also
// expires keys on its own: memory state past its `expiresAt` must decide exactly as a missing key does.

const hasRedis = await redisAvailable();

type Op =
  | { readonly kind: "consume"; readonly cost: number }
  | { readonly kind: "refund"; readonly units: number };

function policiesArb(limits: fc.Arbitrary<number>, windows: fc.Arbitrary<number>) {
  const one = fc.record({
    algorithm: fc.constantFrom(...algorithmNames),
    limit: limits,
    windowMs: windows,
    burst: fc.option(limits, { nil: undefined }),
    blockMs: fc.option(windows, { nil: undefined }),
  });
  return fc.array(one, { minLength: 1, maxLength: 3 }).map((list) =>
    list.map(
      ({ burst, blockMs, ...rest }, i): RateLimitPolicy => ({
        name: `p${i}`,
        ...rest,
        ...(burst ? { burst } : {}),
        ...(blockMs ? { blockMs } : {}),
      }),
    ),
  );
}

function opsArb(maxCost: number, maxLength: number): fc.Arbitrary<Op[]> {
  return fc.array(
    fc.oneof(
      {
        weight: 5,
        arbitrary: fc.integer({ min: 0, max: maxCost }).map((cost): Op => ({ kind: "consume", cost })),
      },
      {
        weight: 1,
        arbitrary: fc.integer({ min: 1, max: maxCost }).map((units): Op => ({ kind: "refund", units })),
      },
    ),
    { minLength: 1, maxLength },
  );
}

describe.skipIf(!hasRedis)("Lua scripts decide exactly as the memory store", () => {
  let test: TestClient;
  const prefix = uniquePrefix("rl-redis-algorithms");
  let run = 0;

  beforeAll(async () => {
    test = await connectClient("ioredis", REDIS_URL);
  });
  afterAll(async () => {
    const keys = (await test.command(["KEYS", `${prefix}*`])) as string[];
    if (keys.length > 0) await test.command(["DEL", ...keys]);
    await test.close();
  });

  async function replay(policies: RateLimitPolicy[], ops: Op[]): Promise<void> {
    const send = (args: string[]) => test.command(args);
    run += 1;
    const key = `run-${run}`;
    let now = 0;
    const memory = memoryStore({ clock: { now: () => now } });
    for (const op of ops) {
      if (op.kind === "refund") {
        const call = refundCall(prefix, key, policies, op.units);
        now = Number(await runScript(send, refundScript, call.keys, call.args));
        await memory.refund(key, policies, op.units);
        continue;
      }
      const call = consumeCall(prefix, key, policies, op.cost);
      const reply = decodeConsumeReply(
        await runScript(send, consumeScript, call.keys, call.args),
        policies.length,
      );
      expect(reply).toBeDefined();
      now = reply!.now;
      const expected = await memory.consume({ key, policies, cost: op.cost });
      expect(reply!.decisions, `${JSON.stringify({ policies, op, now })}`).toEqual(expected);
    }
  }

  it("on small limits and windows of a few milliseconds, which pass while the test runs", async () => {
    await fc.assert(
      fc.asyncProperty(
        policiesArb(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 12 })),
        opsArb(8, 40),
        replay,
      ),
      { numRuns: 50 },
    );
  }, 20_000);

  it("on large limits and windows, where scaled integers get big", async () => {
    await fc.assert(
      fc.asyncProperty(
        policiesArb(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 2_592_000_000 })),
        opsArb(1_000_000, 12),
        replay,
      ),
      { numRuns: 30 },
    );
  }, 20_000);
});
