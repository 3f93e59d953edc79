import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import type { RateLimitAlgorithm } from "../../src/types.js";
import { connectClient } from "./clients.js";
import type { HammerCommand, HammerReply } from "./fixtures/hammer.js";

const hasRedis = await redisAvailable();
const PROCESSES = 4;
const CHECKS_PER_PROCESS = 2_000;
const LIMIT = 1_000;
// One day: long enough that nothing refills (token-bucket: 1,000 tokens a day is one per 86 s; gcra:
// one arrival every 86 s) and a sliding window that happens to straddle a boundary cannot admit more.
const WINDOW_MS = 86_400_000;
const EXACT: RateLimitAlgorithm[] = ["fixed-window", "sliding-window", "token-bucket", "gcra"];

describe.skipIf(!hasRedis)("four processes sharing one Redis key", () => {
  const prefix = uniquePrefix("rl-multi-process");
  const fixture = fileURLToPath(new URL("./fixtures/hammer.ts", import.meta.url));
  const children: ChildProcess[] = [];

  function next(child: ChildProcess): Promise<HammerReply> {
    return new Promise((resolve, reject) => {
      child.once("message", (message) => resolve(message as HammerReply));
      child.once("exit", (code) => reject(new Error(`hammer process exited early with code ${code}`)));
    });
  }

  beforeAll(async () => {
    for (let i = 0; i < PROCESSES; i += 1) {
      // Two instances on ioredis and two on node-redis: both clients run the same script.
      const client = i % 2 === 0 ? "ioredis" : "node-redis";
      children.push(
        fork(fixture, [REDIS_URL, client, prefix], {
          execArgv: ["--import", "tsx", "--conditions=@keel/source"],
          stdio: "inherit",
        }),
      );
    }
    await Promise.all(children.map(next));
  }, 30_000);

  afterAll(async () => {
    for (const child of children) {
      if (child.connected) child.send({ type: "exit" } satisfies HammerCommand);
    }
    await new Promise((resolve) => setTimeout(resolve, 200).unref());
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    const admin = await connectClient("ioredis", REDIS_URL);
    const keys = (await admin.command(["KEYS", `${prefix}*`])) as string[];
    if (keys.length > 0) await admin.command(["DEL", ...keys]);
    await admin.close();
  });

  it.each(EXACT)(
    "admits exactly 1,000 of 8,000 concurrent %s checks",
    async (algorithm) => {
      const command: HammerCommand = {
        type: "run",
        key: `shared-${algorithm}`,
        policy: { name: "1000/day", algorithm, limit: LIMIT, windowMs: WINDOW_MS },
        checks: CHECKS_PER_PROCESS,
      };
      const replies = children.map(next);
      for (const child of children) child.send(command);
      const done = (await Promise.all(replies)).map((reply) => (reply.type === "done" ? reply : undefined));
      expect(done.map((reply) => reply?.errors)).toEqual([0, 0, 0, 0]);
      expect(done.reduce((sum, reply) => sum + (reply?.allowed ?? 0), 0)).toBe(LIMIT);
    },
    20_000,
  );
});
