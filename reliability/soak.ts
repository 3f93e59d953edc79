// Soak: steady load on the three packages, first on memory stores, then on Redis (a redis-server this
// script starts), sampling the server's heap after a full GC every few seconds. A warm-up first sends
// every key of the load's bounded key spaces three times (stores full, evicting, JIT settled); then
// the heap must stay flat: the slope of heap-after-GC over the measured run is reported as bytes
// retained per request, and more than the threshold fails the run.
//
//   pnpm exec tsx --conditions=@keel/source reliability/soak.ts [--duration 60] [--only memory|redis]
//     [--keys 2000] [--max-bytes-per-request 8] [--leak N]
import { startOwnRedis } from "../tooling/redis-server.js";
import { startChild } from "./lib/child.js";
import { closeAgent, runLoad, send, summarize, type Target } from "./lib/load.js";
import { type Check, flag, machine, type Section, sleep, writeReport } from "./lib/report.js";

const durationS = Number(flag("duration") ?? 60);
const only = flag("only");
/** --leak N makes the server keep N bytes per request: the run must then fail. */
const leak = flag("leak");
const sampleEveryMs = Math.max(1_000, Math.min(3_000, (durationS * 1000) / 30));
/** Heap growth allowed, bytes retained per request: 8 B/request is 8 MB per million requests. */
const maxPerRequest = Number(flag("max-bytes-per-request") ?? 8);
const started = Date.now();

interface HeapSample {
  readonly atS: number;
  readonly heapUsed: number;
}

/** Least-squares slope of heap over time, bytes per second. */
function slope(samples: readonly HeapSample[]): number {
  const n = samples.length;
  const mx = samples.reduce((s, p) => s + p.atS, 0) / n;
  const my = samples.reduce((s, p) => s + p.heapUsed, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of samples) {
    num += (p.atS - mx) * (p.heapUsed - my);
    den += (p.atS - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

interface Variant {
  readonly store: "memory" | "redis";
  readonly requests: number;
  readonly statuses: Record<string, number>;
  readonly worstLatencyMs: number;
  readonly heap: readonly HeapSample[];
  readonly warmUpRequests: number;
  readonly slopeBytesPerS: number;
  readonly bytesPerRequest: number;
  readonly growthBytes: number;
  readonly crashes: number;
}

async function soak(store: "memory" | "redis"): Promise<Variant> {
  const redis = store === "redis" ? await startOwnRedis() : undefined;
  const server = await startChild(`soak-${store}`, "reliability/targets/package-server.ts", {
    nodeArgs: ["--expose-gc", "--max-old-space-size=512"],
    env: {
      REDIS_URL: redis?.url ?? "redis://127.0.0.1:1",
      STORE: store === "memory" ? "memory" : "redis",
      PREFIX: "keel-soak:",
      LEAK_BYTES: leak ?? "0",
    },
  });
  // A steady mix over bounded key spaces, twice the tiered cache's L1 (1,000 entries), so L1
  // evictions run all the time once warm.
  const keys = Number(flag("keys") ?? 2_000);
  const paths = [
    (n: number) => `/cache/k${n % keys}`,
    (n: number) => `/redis-cache/k${n % keys}`,
    (n: number) => `/limit/allow?u=${n % keys}`,
    (n: number) => `/limit/deny?u=${n % keys}`,
    (n: number) => `/limit/insured?u=${n % keys}`,
  ];
  const next = (i: number): Target => ({
    route: "soak",
    port: server.port,
    path: (paths[i % paths.length] as (n: number) => string)(Math.floor(i / paths.length) * 7919),
  });
  const warmUpRequests = 3 * keys * paths.length;
  await runLoad({ next, workers: 8, durationMs: 120_000, maxRequests: warmUpRequests, timeoutMs: 5_000 });
  const heap: HeapSample[] = [];
  const t0 = performance.now();
  let done = false;
  const sampler = (async () => {
    while (!done) {
      await sleep(sampleEveryMs);
      if (done) break;
      const answer = await send({ route: "gc", port: server.port, path: "/gc" }, 10_000, true);
      if (answer.status === 200) {
        const { heapUsed } = JSON.parse(answer.body ?? "{}") as { heapUsed: number };
        heap.push({ atS: (performance.now() - t0) / 1000, heapUsed });
      }
    }
  })();
  const samples = await runLoad({ next, workers: 8, durationMs: durationS * 1000, timeoutMs: 5_000 });
  done = true;
  await sampler;
  const crashes = server.crashes;
  await server.stop();
  await redis?.kill();
  const third = Math.max(1, Math.floor(heap.length / 3));
  const mean = (list: HeapSample[]) => list.reduce((s, p) => s + p.heapUsed, 0) / Math.max(1, list.length);
  const summary = summarize(samples);
  const perSecond = slope(heap);
  return {
    store,
    requests: summary.requests,
    statuses: summary.statuses,
    worstLatencyMs: summary.worstLatencyMs,
    heap,
    warmUpRequests,
    slopeBytesPerS: Math.round(perSecond),
    bytesPerRequest: Number((perSecond / (summary.requests / durationS)).toFixed(2)),
    growthBytes: Math.round(mean(heap.slice(-third)) - mean(heap.slice(0, third))),
    crashes,
  };
}

const variants: Variant[] = [];
for (const store of ["memory", "redis"] as const) {
  if (only !== undefined && only !== store) continue;
  variants.push(await soak(store));
  console.error(`${store}: slope ${variants.at(-1)?.slopeBytesPerS} B/s`);
}
closeAgent();

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
const sections: Section[] = [
  {
    title: `Soak: ${durationS} s of steady load per store (8 concurrent clients), heap after full GC every ${(sampleEveryMs / 1000).toFixed(1)} s`,
    columns: [
      "stores",
      "requests",
      "req/s",
      "status mix",
      "worst latency ms",
      "heap samples",
      "heap MB (first → last)",
      "slope",
      "retained per request",
      "growth first→last third",
      "crashes",
    ],
    rows: variants.map((v) => {
      const steady = v.heap;
      return [
        v.store,
        v.requests,
        Math.round(v.requests / durationS),
        Object.entries(v.statuses)
          .map(([k, n]) => `${k}:${n}`)
          .join(" "),
        v.worstLatencyMs,
        v.heap.length,
        `${mb(steady[0]?.heapUsed ?? 0)} → ${mb(steady.at(-1)?.heapUsed ?? 0)}`,
        `${(v.slopeBytesPerS / 1024).toFixed(2)} KB/s`,
        `${v.bytesPerRequest} B`,
        `${(v.growthBytes / 1024).toFixed(0)} KB`,
        v.crashes,
      ];
    }),
    notes: [
      `Before the measured run, a warm-up sends ${variants[0]?.warmUpRequests ?? 0} requests (every key three times). The slope is the least-squares fit of heap-after-GC over time; divided by the request rate it is the memory retained per request. More than ${maxPerRequest} B per request fails (a leak of one small object per request is 50-100 B).`,
    ],
  },
];
const checks: Check[] = variants.flatMap((v) => [
  {
    name: `${v.store}: heap retained per request at most ${maxPerRequest} B`,
    pass: v.bytesPerRequest <= maxPerRequest && v.heap.length >= 5,
    detail: `${v.bytesPerRequest} B per request (${v.slopeBytesPerS} B/s) over ${v.heap.length} samples`,
  },
  {
    name: `${v.store}: no crash, every request answered`,
    pass: v.crashes === 0 && (v.statuses.timeout ?? 0) + (v.statuses.error ?? 0) === 0,
    detail: `${v.crashes} crashes`,
  },
]);
writeReport({
  script: leak === undefined ? "soak" : "soak-leak-injected",
  startedAt: new Date(started).toISOString(),
  durationMs: Date.now() - started,
  machine: machine(),
  checks,
  sections,
  data: variants,
});
process.exit(checks.every((c) => c.pass) ? 0 : 1);
