/**
 * One "app instance" for the two-process test: a tieredStore (memory L1, Redis L2) on its own
 * connections, driven by its parent over IPC. Run with `node --import tsx fixture.ts <url> <client> <prefix>`.
 */
import { memoryStore } from "../../src/stores/memory.js";
import { redisStore } from "../../src/stores/redis.js";
import { tieredStore } from "../../src/stores/tiered.js";
import { type ClientName, connectClient } from "../stores/redis-clients.js";

/** What the parent asks. */
export type FixtureCommand =
  | { readonly op: "get"; readonly key: string }
  | { readonly op: "set"; readonly key: string; readonly value: unknown }
  | { readonly op: "invalidate"; readonly pattern: string }
  | { readonly op: "invalidateTags"; readonly tags: string[] }
  | { readonly op: "watch"; readonly key: string }
  | { readonly op: "exit" };

/** What the instance answers: one reply per command, in order (`ready` first, unasked). */
export type FixtureReply =
  | { readonly op: "ready" }
  | { readonly op: "get"; readonly value: unknown; readonly fromL1: boolean; readonly l2Gets: number }
  | { readonly op: "write"; readonly startedAt: number; readonly doneAt: number }
  | { readonly op: "watch"; readonly evictedAt: number | null }
  | { readonly op: "error"; readonly message: string };

const [url = "", clientName = "ioredis", prefix = ""] = process.argv.slice(2);
const at = (): number => performance.timeOrigin + performance.now();
const WATCH_LIMIT_MS = 2000;

const redis = await connectClient(clientName as ClientName, url);
const l1 = memoryStore();
const store = tieredStore([l1, redisStore({ client: redis.client, prefix })], {
  subscriber: await redis.duplicate(),
});
await store.ready;

const reply = (message: FixtureReply): void => {
  process.send?.(message);
};
const l2Gets = (): number => redis.sent.filter((args) => args[0] === "GET").length;

/** Resolves when `key` leaves L1 (checked every event-loop turn, bounded to 2 s), with the time it did. */
function watch(key: string): Promise<number | null> {
  const deadline = at() + WATCH_LIMIT_MS;
  return new Promise((resolve) => {
    const check = async (): Promise<void> => {
      if ((await l1.get(key)) === undefined) resolve(at());
      else if (at() > deadline) resolve(null);
      else setImmediate(check);
    };
    void check();
  });
}

async function handle(command: FixtureCommand): Promise<FixtureReply> {
  switch (command.op) {
    case "get": {
      const before = l2Gets();
      const entry = await store.get(command.key);
      const gets = l2Gets() - before;
      return { op: "get", value: entry?.value, fromL1: entry !== undefined && gets === 0, l2Gets: gets };
    }
    case "set":
    case "invalidate":
    case "invalidateTags": {
      const startedAt = at();
      if (command.op === "set") {
        const expiresAt = Date.now() + 60_000;
        await store.set(command.key, {
          value: command.value,
          expiresAt,
          staleUntil: expiresAt,
          tags: ["fixture"],
        });
      } else if (command.op === "invalidate") await store.invalidate(command.pattern);
      else await store.invalidateTags(command.tags);
      return { op: "write", startedAt, doneAt: at() };
    }
    case "watch": {
      const evicted = watch(command.key);
      reply({ op: "watch", evictedAt: null }); // acknowledges that watching has started
      return { op: "watch", evictedAt: await evicted };
    }
    case "exit":
      await store.close();
      await redis.close();
      process.exit(0);
  }
}

process.on("message", (command: FixtureCommand) => {
  handle(command).then(reply, (error: unknown) => reply({ op: "error", message: String(error) }));
});
reply({ op: "ready" });
