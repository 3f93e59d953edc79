import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settle } from "../../../../reliability/lib/hostile.js";
import { startTcpProxy, type TcpProxy } from "../../../../reliability/tcp-proxy.js";
import { type OwnRedis, redisServerInstalled, startOwnRedis } from "../../../../tooling/redis-server.js";
import { createRateLimiter, type RateLimiter } from "../../src/rate-limiter.js";
import type { RateLimitResult } from "../../src/result.js";
import { memoryStore } from "../../src/stores/memory.js";
import { redisStore } from "../../src/stores/redis.js";
import { type ClientName, connectClient, type TestClient } from "../redis/clients.js";

// The network between the app and Redis fails while checks run: a partition (every byte held, no
// reset), latency above storeTimeout, and dropped connections, through a TCP proxy in front of a
// redis-server this file starts (the kill / CLIENT PAUSE / DEBUG SLEEP faults are in
// test/redis/faults.test.ts). Every check answers within storeTimeout plus slack, as onStoreError or
// the insurance says, nothing is left unhandled, and Redis decides again once the network heals.

const hasServerBinary = redisServerInstalled();

const STORE_TIMEOUT = 100;
const BOUND_MS = STORE_TIMEOUT + 900;

describe.skipIf(!hasServerBinary).each<ClientName>(["ioredis", "node-redis"])(
  "checks through a failing network, on %s",
  (clientName) => {
    let server: OwnRedis;
    let proxy: TcpProxy;
    let redis: TestClient;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);

    beforeAll(async () => {
      process.on("unhandledRejection", onUnhandled);
      server = await startOwnRedis();
      proxy = await startTcpProxy(server.port);
      redis = await connectClient(clientName, `redis://127.0.0.1:${proxy.port}`);
    });
    afterAll(async () => {
      proxy.setMode({ kind: "pass" });
      await redis.close();
      await proxy.close();
      await server.kill();
      process.off("unhandledRejection", onUnhandled);
    });

    const limiters = (round: string): Record<string, RateLimiter> => {
      const store = () => redisStore({ client: redis.client, prefix: `part:${clientName}:${round}:` });
      const common = { limit: 3, window: 60, storeTimeout: STORE_TIMEOUT } as const;
      return {
        allow: createRateLimiter({ ...common, store: store(), onStoreError: "allow" }),
        deny: createRateLimiter({ ...common, store: store(), onStoreError: "deny" }),
        insured: createRateLimiter({ ...common, store: store(), insurance: memoryStore() }),
      };
    };

    for (const mode of [
      { kind: "blackhole" as const },
      { kind: "latency" as const, ms: 150 },
      { kind: "drop" as const },
    ]) {
      it(`decides every check in time during ${mode.kind} as its failure setting says, then limits on Redis again`, async () => {
        const round = `${mode.kind}-${Date.now()}`;
        const set = limiters(round);
        proxy.setMode(mode);
        const decided: Record<string, RateLimitResult[]> = {};
        for (const [name, limiter] of Object.entries(set)) {
          const outcomes = await Promise.all(
            Array.from({ length: 5 }, () => settle(`${name} check`, () => limiter.check("user:1"), BOUND_MS)),
          );
          decided[name] = outcomes.map((o) => {
            expect(o.ok).toBe(true);
            return (o as { value: RateLimitResult }).value;
          });
        }
        proxy.setMode({ kind: "pass" });
        expect(decided.allow?.every((r) => r.allowed && r.reason === "store-error")).toBe(true);
        expect(decided.deny?.every((r) => !r.allowed && r.reason === "store-error")).toBe(true);
        // The insurance limits on its own: 3 admitted, then refused.
        expect(decided.insured?.filter((r) => r.allowed).length).toBe(3);
        // Healed: a fresh key is limited by Redis again (bounded: ~5 s).
        const limiter = set.deny as RateLimiter;
        let back = false;
        for (let attempt = 0; attempt < 100 && !back; attempt++) {
          back = (await limiter.check(`fresh:${attempt}`)).reason === undefined;
          if (!back) await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(back).toBe(true);
        const results = [];
        for (let i = 0; i < 4; i++) results.push(await limiter.check("after"));
        expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
        expect(results.map((r) => r.reason ?? "ok")).toEqual(["ok", "ok", "ok", "limit"]);
        for (const l of Object.values(set)) await l.close();
        expect(unhandled).toEqual([]);
      });
    }
  },
);
