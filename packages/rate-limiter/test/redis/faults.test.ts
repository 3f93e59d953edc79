import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type OwnRedis, startOwnRedis } from "../../../../tooling/redis-server.js";
import { createRateLimiter, type RateLimiter } from "../../src/rate-limiter.js";
import { memoryStore } from "../../src/stores/memory.js";
import { redisStore } from "../../src/stores/redis.js";
import { type ClientName, connectClient, type TestClient } from "./clients.js";
import { pause, startLoad } from "./load.js";

// Faults on a redis-server this file starts (never the shared one): killed, paused (CLIENT PAUSE,
// DEBUG SLEEP) and restarted under a bounded load of checks through createRateLimiter. Clients are
// set up to fail fast, as redisStore's TSDoc recommends. Every check must be answered (never
// rejected) within storeTimeout plus a generous slack, and onStoreError / insurance must decide
// while Redis is away; limiting must resume on Redis once it is back.

const STORE_TIMEOUT = 100;
/**
 * storeTimeout plus a generous slack (the suites share 2 busy cores): a check answered later than this
 * counts as late. Typical slowest answers here are 30-170 ms; a check stuck on a dead socket would
 * take seconds (the clients' reconnect loops) or forever.
 */
const BOUND_MS = STORE_TIMEOUT + 900;

let server: OwnRedis;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(async () => {
  server = await startOwnRedis({ debug: true });
  process.on("unhandledRejection", onUnhandled);
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await server?.kill();
});

/** An admin connection that queues while Redis is away (test plumbing, not the client under test). */
function admin(): Redis {
  const client = new Redis(server.url, { retryStrategy: () => 50 });
  client.on("error", () => {});
  return client;
}

/** Follows a limiter's store events: whether the last one was a recovery. */
function watch(limiter: RateLimiter): { readonly back: boolean } {
  const state = { back: true };
  limiter.on("store-error", () => {
    state.back = false;
  });
  limiter.on("store-recovered", () => {
    state.back = true;
  });
  return state;
}

/** Peeks until the limiter has its main store back (no failure since the last recovery); bounded to ~3 s. */
async function recovered(limiter: RateLimiter, state: { readonly back: boolean }): Promise<void> {
  for (let attempt = 0; attempt < 100 && !state.back; attempt += 1) {
    await limiter.get("probe");
    if (!state.back) await pause(30);
  }
  expect(state.back).toBe(true);
}

/** Five checks in a row on a fresh key with a one-off limit of 3 per minute, decided by Redis. */
async function limitsOnRedis(limiter: RateLimiter, key: string): Promise<void> {
  const results = [];
  for (let i = 0; i < 5; i += 1) results.push(await limiter.check(key, 3, 60));
  expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
  expect(results.map((r) => r.reason ?? "ok")).toEqual(["ok", "ok", "ok", "limit", "limit"]);
}

describe.each<ClientName>(["ioredis", "node-redis"])("redisStore faults on %s", (name) => {
  let test: TestClient;
  let limiter: RateLimiter | undefined;
  const prefix = `faults:${name}:`;

  beforeAll(async () => {
    test = await connectClient(name, server.url);
  });
  afterEach(async () => {
    await limiter?.close();
    expect(unhandled).toEqual([]);
  });
  afterAll(async () => {
    await test.close();
  });

  it("answers every check in time while Redis is killed and restarted, failing open (allow)", async () => {
    limiter = createRateLimiter({
      store: redisStore({ client: test.client, prefix }),
      limit: 1_000,
      window: 60,
      storeTimeout: STORE_TIMEOUT,
    });
    const events = watch(limiter);
    const load = startLoad(limiter, {
      keyPrefix: "kill-",
      keys: 10,
      concurrency: 20,
      boundMs: BOUND_MS,
      maxChecks: 20_000,
    });
    await pause(150);
    await server.kill();
    await pause(300);
    await server.restart();
    await recovered(limiter, events);
    const report = await load.stop();

    expect(report.rejected).toBe(0);
    expect(report.late, `slowest check: ${report.slowestMs.toFixed(0)} ms of ${report.checks}`).toBe(0);
    expect(report.storeErrors.allowed).toBeGreaterThan(0);
    expect(report.storeErrors.refused).toBe(0);
    expect(limiter.stats().storeErrors).toBeGreaterThan(0);
    await limitsOnRedis(limiter, "after-kill");
  }, 15_000);

  it("answers every check in time while Redis is paused and sleeping, failing closed (deny)", async () => {
    limiter = createRateLimiter({
      store: redisStore({ client: test.client, prefix }),
      limit: 1_000,
      window: 60,
      storeTimeout: STORE_TIMEOUT,
      onStoreError: "deny",
    });
    const events = watch(limiter);
    const control = admin();
    const load = startLoad(limiter, {
      keyPrefix: "pause-",
      keys: 10,
      concurrency: 20,
      boundMs: BOUND_MS,
      maxChecks: 20_000,
    });
    await pause(100);
    // Both longer than BOUND_MS: a check waiting on Redis instead of timing out would be late.
    await control.call("CLIENT", "PAUSE", "1200", "ALL");
    await pause(1_300);
    const sleeping = control.call("DEBUG", "SLEEP", "1.2"); // answers once Redis wakes up
    await pause(100);
    await sleeping;
    await recovered(limiter, events);
    const report = await load.stop();
    control.disconnect();

    expect(report.rejected).toBe(0);
    expect(report.late, `slowest check: ${report.slowestMs.toFixed(0)} ms of ${report.checks}`).toBe(0);
    expect(report.storeErrors.refused).toBeGreaterThan(0);
    expect(report.storeErrors.allowed).toBe(0);
    expect(limiter.stats().storeTimeouts).toBeGreaterThan(0);
    await limitsOnRedis(limiter, "after-pause");
  }, 15_000);

  it("limits from the insurance store while Redis is down, then from Redis again", async () => {
    limiter = createRateLimiter({
      store: redisStore({ client: test.client, prefix }),
      insurance: memoryStore(),
      limit: 3,
      window: 60,
      storeTimeout: STORE_TIMEOUT,
    });
    const events = watch(limiter);
    expect((await limiter.check("warm")).reason).toBeUndefined();
    await server.kill();

    const during = [];
    let late = 0;
    for (let i = 0; i < 5; i += 1) {
      const started = performance.now();
      during.push(await limiter.check("insured"));
      if (performance.now() - started > BOUND_MS) late += 1;
    }
    expect(late).toBe(0);
    expect(during.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(during.every((r) => r.reason !== "store-error")).toBe(true);
    expect(limiter.stats().fallbacks).toBeGreaterThanOrEqual(5);

    await server.restart();
    await recovered(limiter, events);
    await limitsOnRedis(limiter, "after-insurance");
    // The decisions came from Redis: its key for this client key exists there.
    expect(await test.command(["KEYS", `${prefix}{after-insurance}:*`])).toHaveLength(1);
  }, 15_000);
});
