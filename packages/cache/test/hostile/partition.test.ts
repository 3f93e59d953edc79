import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settle, typedOrOk } from "../../../../reliability/lib/hostile.js";
import { startTcpProxy, type TcpProxy } from "../../../../reliability/tcp-proxy.js";
import { type OwnRedis, redisServerInstalled, startOwnRedis } from "../../../../tooling/redis-server.js";
import { createCache } from "../../src/cache.js";
import type { Cache } from "../../src/cache-api.js";
import { CacheError } from "../../src/errors.js";
import { memoryStore } from "../../src/stores/memory.js";
import { redisStore } from "../../src/stores/redis.js";
import { tieredStore } from "../../src/stores/tiered.js";
import { CLIENT_NAMES, connectClient, type TestClient } from "../stores/redis-clients.js";

// The network between the app and Redis fails while getOrSet runs: a partition (every byte held,
// no reset), latency above storeTimeout, and dropped connections, through a TCP proxy in front of a
// redis-server this file starts. Every call answers from the origin within storeTimeout plus slack,
// the failures are counted, nothing is left unhandled, and Redis is used again once the network heals.

const hasServerBinary = redisServerInstalled();

const STORE_TIMEOUT = 100;
/** storeTimeout plus generous slack for 2 busy shared cores; a call stuck on a dead socket takes seconds. */
const BOUND_MS = STORE_TIMEOUT + 900;

describe.skipIf(!hasServerBinary).each(CLIENT_NAMES)(
  "getOrSet through a failing network, on %s",
  (clientName) => {
    let server: OwnRedis;
    let proxy: TcpProxy;
    let redis: TestClient;
    let subscriber: TestClient;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);

    beforeAll(async () => {
      process.on("unhandledRejection", onUnhandled);
      server = await startOwnRedis();
      proxy = await startTcpProxy(server.port);
      redis = await connectClient(clientName, `redis://127.0.0.1:${proxy.port}`, { failFast: true });
      subscriber = await connectClient(clientName, `redis://127.0.0.1:${proxy.port}`);
    });
    afterAll(async () => {
      proxy.setMode({ kind: "pass" });
      await redis.close();
      await subscriber.close();
      await proxy.close();
      await server.kill();
      process.off("unhandledRejection", onUnhandled);
    });

    const caches = (): { name: string; cache: Cache }[] => [
      {
        name: "redisStore",
        cache: createCache({
          store: redisStore({ client: redis.client, prefix: `p:${clientName}:r:` }),
          storeTimeout: STORE_TIMEOUT,
        }),
      },
    ];

    for (const mode of [
      { kind: "blackhole" as const },
      { kind: "latency" as const, ms: 150 },
      { kind: "drop" as const },
    ]) {
      it(`answers every getOrSet from the origin in time during ${mode.kind}, then uses Redis again`, async () => {
        const [{ cache }] = caches() as [{ name: string; cache: Cache }];
        let fetches = 0;
        const origin = async () => ++fetches;
        const round = mode.kind + Date.now();
        await cache.getOrSet(`${round}:warm`, origin, 60);
        proxy.setMode(mode);
        const outcomes = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            settle("getOrSet", () => cache.getOrSet(`${round}:${i % 10}`, origin, 60), BOUND_MS),
          ),
        );
        for (const outcome of outcomes) expect(outcome.ok).toBe(true);
        expect(fetches).toBeGreaterThanOrEqual(11); // the warm-up, then at least one per key: Redis did not answer
        expect((await cache.getStats()).errors).toBeGreaterThan(0);
        proxy.setMode({ kind: "pass" });
        // Healed: a value written now is read back from Redis (bounded: ~5 s).
        const probe = createCache({
          store: redisStore({ client: redis.client, prefix: `p:${clientName}:probe:` }),
          storeTimeout: 500,
          strict: true,
        });
        let back = false;
        for (let attempt = 0; attempt < 100 && !back; attempt++) {
          back = await probe.set("k", attempt, 60).then(
            async () => (await probe.get("k")) === attempt,
            () => false,
          );
          if (!back) await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(back).toBe(true);
        await probe.close();
        await cache.close();
        expect(unhandled).toEqual([]);
      });
    }

    it("keeps serving L1 hits and the origin through tieredStore during a partition", async () => {
      const l2 = redisStore({ client: redis.client, prefix: `p:${clientName}:t:` });
      const store = tieredStore([memoryStore({ max: 100 }), l2], {
        subscriber: await subscriber.duplicate(),
        onError: () => {},
      });
      const cache = createCache({ store, storeTimeout: STORE_TIMEOUT });
      let fetches = 0;
      await cache.getOrSet("held", async () => ++fetches, 60);
      proxy.setMode({ kind: "blackhole" });
      const held = await settle(
        "getOrSet held",
        () => cache.getOrSet("held", async () => ++fetches, 60),
        BOUND_MS,
      );
      const fresh = await settle(
        "getOrSet fresh",
        () => cache.getOrSet("fresh", async () => ++fetches, 60),
        BOUND_MS,
      );
      proxy.setMode({ kind: "pass" });
      expect(held).toEqual({ ok: true, value: 1 });
      expect(fresh).toEqual({ ok: true, value: 2 });
      // Closing right after the partition may wait on the subscriber's reconnection: a CacheError
      // timeout is an answer too; a hang or an untyped error is not.
      typedOrOk("close", await settle("close", () => cache.close(), BOUND_MS), CacheError, "ERR_KEEL_CACHE_");
      expect(unhandled).toEqual([]);
    });
  },
);
