/**
 * A reader process for measure suites: `cache-readers.ts <redis url> <prefix> <clients> <keys>`,
 * forked by a case. Each of `clients` connections reads one of `keys` hot entries through
 * @keel/cache on a redisStore (store timeout 30 s, so a slow read is measured, never cut short),
 * one read per millisecond per client, and records each read's latency. On `{ type: "snapshot" }`
 * it answers with the latencies since the last snapshot; on `{ type: "stop" }` it exits.
 */
import { createCache, redisStore } from "@keel/cache";
import { build } from "hdr-histogram-js";
import { Redis } from "ioredis";

/** What a reader process reports. */
export type ReaderMessage =
  | { type: "ready" }
  | { type: "snapshot"; reads: number; misses: number; p50Ms: number; p99Ms: number; maxMs: number };

/** What a reader process is told. */
export type ReaderCommand = { type: "snapshot" } | { type: "stop" };

const [url = "", prefix = "", clientCount = "4", keyCount = "1000"] = process.argv.slice(2);
const histogram = () =>
  build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
let latencies = histogram();
let misses = 0;
let running = true;

async function reader(index: number): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  const cache = createCache({ store: redisStore({ client, prefix }), storeTimeout: 30_000 });
  await client.ping();
  let i = index;
  while (running) {
    const started = performance.now();
    const value = await cache.get(`hot:${i++ % Number(keyCount)}`);
    latencies.recordValue(Math.max(1, Math.round((performance.now() - started) * 1000)));
    if (value === undefined) misses++;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  client.disconnect();
}

const readers = Array.from({ length: Number(clientCount) }, (_, index) => reader(index));
process.send?.({ type: "ready" } satisfies ReaderMessage);
process.on("message", (command: ReaderCommand) => {
  if (command.type === "snapshot") {
    const done = latencies;
    latencies = histogram();
    process.send?.({
      type: "snapshot",
      reads: done.totalCount,
      misses,
      p50Ms: done.getValueAtPercentile(50) / 1000,
      p99Ms: done.getValueAtPercentile(99) / 1000,
      maxMs: done.maxValue / 1000,
    } satisfies ReaderMessage);
    misses = 0;
  } else {
    running = false;
    void Promise.all(readers).finally(() => process.exit(0));
  }
});
process.on("disconnect", () => process.exit(0));
