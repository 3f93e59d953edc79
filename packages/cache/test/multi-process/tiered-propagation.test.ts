import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import type { FixtureCommand, FixtureReply } from "./fixture.js";

const hasRedis = await redisAvailable();
const ITERATIONS = 7;

/** One child process and a queue of its replies, read in order. */
class Instance {
  private readonly replies: FixtureReply[] = [];
  private waiting: ((reply: FixtureReply) => void) | undefined;

  constructor(readonly child: ChildProcess) {
    child.on("message", (message: FixtureReply) => {
      if (this.waiting === undefined) this.replies.push(message);
      else {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(message);
      }
    });
  }

  /** The next reply, bounded to 10 s so a stuck child fails the test instead of hanging it. */
  next(): Promise<FixtureReply> {
    const queued = this.replies.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no reply from the instance within 10 s")), 10_000);
      this.waiting = (reply) => {
        clearTimeout(timer);
        if (reply.op === "error") reject(new Error(reply.message));
        else resolve(reply);
      };
    });
  }

  async ask<T extends FixtureReply["op"]>(
    command: FixtureCommand,
    op: T,
  ): Promise<Extract<FixtureReply, { op: T }>> {
    this.child.send(command);
    const reply = await this.next();
    expect(reply.op).toBe(op);
    return reply as Extract<FixtureReply, { op: T }>;
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

// Two real Node processes, each with its own L1 and its own connections; A on ioredis, B on node-redis.
describe.skipIf(!hasRedis)("tieredStore across two processes", () => {
  const prefix = uniquePrefix("cache-multi-process");
  const fixture = fileURLToPath(new URL("./fixture.ts", import.meta.url));
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    const start = (client: string) =>
      new Instance(
        fork(fixture, [REDIS_URL, client, prefix], {
          execArgv: ["--import", "tsx", "--conditions=@keel/source"],
          stdio: "inherit",
        }),
      );
    a = start("ioredis");
    b = start("node-redis");
    expect((await a.next()).op).toBe("ready");
    expect((await b.next()).op).toBe("ready");
  }, 30_000);

  afterAll(async () => {
    for (const instance of [a, b]) instance?.child.send({ op: "exit" } satisfies FixtureCommand);
    await new Promise((resolve) => setTimeout(resolve, 300).unref());
    for (const instance of [a, b]) if (instance?.child.exitCode === null) instance.child.kill("SIGKILL");
  });

  /** `writer` changes `key` while `reader` holds it in L1; resolves to the write-to-eviction time in ms. */
  async function propagate(writer: Instance, reader: Instance, key: string, value: string): Promise<number> {
    // Fill the reader's L1 (bounded): the first read after a write may be kept out of L1 by the race guard.
    for (let i = 0; i < 20; i++) {
      await reader.ask({ op: "get", key }, "get");
      if ((await reader.ask({ op: "get", key }, "get")).fromL1) break;
    }
    const before = await reader.ask({ op: "get", key }, "get");
    expect(before.fromL1).toBe(true);
    expect(before.l2Gets).toBe(0);

    await reader.ask({ op: "watch", key }, "watch"); // watching has started
    const write = await writer.ask({ op: "set", key, value }, "write");
    const evicted = await reader.next();
    expect(evicted).toMatchObject({ op: "watch" });
    const evictedAt = (evicted as { evictedAt: number | null }).evictedAt;
    expect(evictedAt).not.toBeNull(); // evicted within the 2 s bound

    const after = await reader.ask({ op: "get", key }, "get");
    expect(after.value).toBe(value);
    expect(after.l2Gets).toBe(1);
    return (evictedAt as number) - write.startedAt;
  }

  it("evicts the other process's L1 copy on every write, and that process then reads the new value", async () => {
    await a.ask({ op: "set", key: "shared", value: "v0" }, "write");
    const times: number[] = [];
    for (let i = 1; i <= ITERATIONS; i++) {
      const [writer, reader] = i % 2 === 1 ? [a, b] : [b, a];
      times.push(await propagate(writer, reader, "shared", `v${i}`));
    }
    console.log(
      `tieredStore invalidation, write start to eviction in the other process: median ${median(times).toFixed(3)} ms over ${ITERATIONS} writes (min ${Math.min(...times).toFixed(3)}, max ${Math.max(...times).toFixed(3)})`,
    );
  }, 30_000);

  it("spreads pattern and tag invalidation to the other process", async () => {
    await a.ask({ op: "set", key: "/modules/1", value: "m" }, "write");
    await a.ask({ op: "set", key: "/tutorials/1", value: "t" }, "write");
    for (const key of ["/modules/1", "/tutorials/1"]) {
      for (let i = 0; i < 20 && !(await b.ask({ op: "get", key }, "get")).fromL1; i++);
    }
    await b.ask({ op: "watch", key: "/modules/1" }, "watch");
    await a.ask({ op: "invalidate", pattern: "/modules/*" }, "write");
    expect(await b.next()).toMatchObject({ op: "watch", evictedAt: expect.any(Number) });
    expect((await b.ask({ op: "get", key: "/modules/1" }, "get")).value).toBeUndefined();

    await b.ask({ op: "watch", key: "/tutorials/1" }, "watch");
    await a.ask({ op: "invalidateTags", tags: ["fixture"] }, "write");
    expect(await b.next()).toMatchObject({ op: "watch", evictedAt: expect.any(Number) });
    expect((await b.ask({ op: "get", key: "/tutorials/1" }, "get")).value).toBeUndefined();
  }, 30_000);
});
