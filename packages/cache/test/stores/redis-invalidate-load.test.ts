import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import { redisStore } from "../../src/stores/redis.js";
import { connectClient, type TestClient } from "./redis-clients.js";

const hasRedis = await redisAvailable();
/**
 * 20k keys in the everyday suite (a few seconds on 2 shared cores); the 100k run is
 * `KEEL_INVALIDATE_KEYS=100000 pnpm exec vitest run --project cache test/stores/redis-invalidate-load.test.ts`.
 * The million-key run with several readers belongs to bench/.
 */
const KEYS = Number(process.env.KEEL_INVALIDATE_KEYS ?? 20_000);
const WRITE_BATCH = 5_000;

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;

describe.skipIf(!hasRedis)(`invalidate over ${KEYS} Redis keys while another client reads`, () => {
  let writer: TestClient;
  let reader: TestClient;
  const prefix = uniquePrefix("cache-invalidate-load");

  beforeAll(async () => {
    writer = await connectClient("ioredis", REDIS_URL);
    reader = await connectClient("node-redis", REDIS_URL);
  });
  afterAll(async () => {
    await redisStore({ client: writer.client, prefix }).clear();
    await writer.close();
    await reader.close();
  });

  it("removes every matching key in SCAN batches while reads keep being answered", async () => {
    const store = redisStore({ client: writer.client, prefix });
    const readStore = redisStore({ client: reader.client, prefix });
    const expiresAt = Date.now() + 10 * 60_000;
    for (let i = 0; i < KEYS; i += WRITE_BATCH) {
      const writes = [];
      for (let j = i; j < Math.min(KEYS, i + WRITE_BATCH); j++) {
        writes.push(store.set(`/items/${j}`, { value: { id: j }, expiresAt, staleUntil: expiresAt }));
      }
      await Promise.all(writes);
    }
    await store.set("/kept", { value: "kept", expiresAt, staleUntil: expiresAt });
    writer.sent.length = 0;

    // Reads run back to back on their own connection until the invalidation is done (bounded by it).
    let done = false;
    const latencies: number[] = [];
    const reads = (async () => {
      for (let i = 0; !done; i++) {
        const key = i % 10 === 0 ? "/kept" : `/items/${(i * 7919) % KEYS}`;
        const start = performance.now();
        await readStore.get(key);
        latencies.push(performance.now() - start);
      }
    })();
    const started = performance.now();
    const removed = await store.invalidate("/items/*");
    const elapsed = performance.now() - started;
    done = true;
    await reads;

    expect(removed).toBe(KEYS);
    expect(writer.sent.some((args) => args[0] === "KEYS")).toBe(false);
    const scans = writer.sent.filter((args) => args[0] === "SCAN").length;
    const unlinks = writer.sent.filter((args) => args[0] === "UNLINK");
    expect(writer.sent.length).toBe(scans + unlinks.length); // nothing but SCAN and UNLINK
    expect(scans).toBeGreaterThanOrEqual(KEYS / 1000); // COUNT 1000: at least one SCAN per 1000 keys
    expect(unlinks.every((args) => args.length - 1 <= 250)).toBe(true);
    expect((await readStore.get("/kept"))?.value).toBe("kept");
    expect(await store.size()).toBe(1);
    expect(latencies.length).toBeGreaterThan(0);

    const sorted = [...latencies].sort((x, y) => x - y);
    console.log(
      `invalidate("/items/*") removed ${removed} keys with ${scans} SCAN and ${unlinks.length} UNLINK round trips (${elapsed.toFixed(0)} ms); ` +
        `${sorted.length} concurrent reads: p50 ${percentile(sorted, 50).toFixed(3)} ms, ` +
        `p99 ${percentile(sorted, 99).toFixed(3)} ms, max ${(sorted.at(-1) as number).toFixed(3)} ms`,
    );
  }, 60_000);
});
