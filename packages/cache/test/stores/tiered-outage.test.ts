import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OwnRedis, redisServerInstalled, startOwnRedis } from "../../../../tooling/redis-server.js";
import { memoryStore } from "../../src/stores/memory.js";
import { redisStore } from "../../src/stores/redis.js";
import { tieredStore } from "../../src/stores/tiered.js";
import type { CacheEntry } from "../../src/types.js";
import { CLIENT_NAMES, connectClient, type TestClient } from "./redis-clients.js";

const hasServerBinary = redisServerInstalled();

const entry = (value: unknown): CacheEntry => {
  const at = Date.now() + 60_000;
  return { value, expiresAt: at, staleUntil: at };
};

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Kills and restarts Redis, so it runs on a private server, never the shared one.
describe.skipIf(!hasServerBinary).each(CLIENT_NAMES)(
  "tieredStore while Redis is down, on %s",
  (clientName) => {
    let server: OwnRedis;
    let redis: TestClient;

    beforeAll(async () => {
      server = await startOwnRedis();
      redis = await connectClient(clientName, server.url, { failFast: true });
    });
    afterAll(async () => {
      await redis.close();
      await server.kill();
    });

    it("serves L1, applies writes to L1, rejects with L2's error, and starts afresh once Redis is back", async () => {
      const l1 = memoryStore();
      const store = tieredStore([l1, redisStore({ client: redis.client, prefix: "outage:" })], {
        subscriber: await redis.duplicate(),
        onError: () => {},
      });
      await store.ready;
      await store.set("held", entry("from before"));
      await store.set("doomed", entry("to delete"));

      await server.kill();
      expect((await store.get("held"))?.value).toBe("from before");
      await expect(store.get("never-cached")).rejects.toThrow();
      await expect(store.set("written", entry("during"))).rejects.toThrow();
      expect((await store.get("written"))?.value).toBe("during");
      await expect(store.delete("doomed")).rejects.toThrow();
      expect(await l1.get("doomed")).toBeUndefined();
      await expect(store.invalidate("*")).rejects.toThrow();
      expect(await l1.size()).toBe(0);

      await server.restart();
      await eventually(async () => (await redis.command(["PING"])) === "PONG", "client reconnected");
      await store.set("after", entry("back"));
      await eventually(
        async () => (await l1.get("after")) !== undefined || (await store.get("after")) !== undefined,
        "serving again",
      );
      expect((await store.get("after"))?.value).toBe("back");
      await store.close();
    });

    it("forgets its L1 when the subscriber comes back, since invalidations may have been missed", async () => {
      const l1 = memoryStore();
      const store = tieredStore([l1, redisStore({ client: redis.client, prefix: "reconnect:" })], {
        subscriber: await redis.duplicate(),
        onError: () => {},
      });
      await store.ready;
      await store.set("k", entry(1));
      await server.restart();
      await eventually(async () => (await l1.get("k")) === undefined, "L1 cleared after reconnect");
      await store.close();
    });
  },
);
