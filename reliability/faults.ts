// Redis faults under load, against a server wired with the three packages (run as a child process so
// a crash shows as an exit): redis-server killed and restarted, CLIENT PAUSE, DEBUG SLEEP, latency and
// dropped or black-holed connections through a TCP proxy. Only a redis-server this script starts is
// touched, on its own port. For each fault: requests answered, status mix, worst latency, unhandled
// rejections, crashes, time to recover, and whether perf-monitor counted every request.
//
//   pnpm exec tsx --conditions=@keel/source reliability/faults.ts [--quick] [--only kill,latency-150ms]
import { Redis } from "ioredis";
import { startOwnRedis } from "../tooling/redis-server.js";
import { type Child, startChild } from "./lib/child.js";
import {
  type Fault,
  type FaultResult,
  type FaultTimeline,
  measureFault,
  type Probe,
  requestProbe,
} from "./lib/fault-run.js";
import { closeAgent, send, type Target } from "./lib/load.js";
import { type Check, flag, machine, type Section, sleep, writeReport } from "./lib/report.js";
import { startTcpProxy } from "./tcp-proxy.js";

const quick = flag("quick") !== undefined;
const only = flag("only")?.split(",");
const hold = quick ? 1_000 : 3_000;
const timeline: FaultTimeline = {
  warmMs: quick ? 500 : 1_500,
  holdMs: hold,
  recoverMaxMs: 10_000,
  tailMs: quick ? 500 : 1_500,
};
const started = Date.now();

const redis = await startOwnRedis({ debug: true });
const proxy = await startTcpProxy(redis.port);
const admin = () => {
  const c = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => 100, lazyConnect: true });
  c.on("error", () => {});
  return c;
};

let server: Child = await startServer();
async function startServer(): Promise<Child> {
  return startChild("package-server", "reliability/targets/package-server.ts", {
    env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}`, PREFIX: "keel-faults:" },
  });
}

const users = 40;
const routes = ["cache", "redis-cache", "limit-allow", "limit-deny", "limit-insured"] as const;
const target = (i: number): Target => {
  const route = routes[i % routes.length] as (typeof routes)[number];
  const n = Math.floor(i / routes.length);
  const path =
    route === "cache"
      ? `/cache/k${n % 30}`
      : route === "redis-cache"
        ? `/redis-cache/k${n % 30}`
        : `/limit/${route.slice("limit-".length)}?u=${n % users}`;
  return { route, port: server.port, path };
};
const probes: Probe[] = [
  // A fresh user each time: 200 means the store answered; 429 means onStoreError "deny" decided.
  requestProbe(
    "rate limiter decides from Redis",
    (n) => ({ route: "probe", port: server.port, path: `/limit/deny?u=probe-${Date.now()}-${n}` }),
    (status) => status === 200,
  ),
  requestProbe(
    "cache writes and reads Redis",
    (n) => ({ route: "probe", port: server.port, path: `/probe/cache/p${Date.now()}-${n}` }),
    (status) => status === 200,
  ),
];

async function waitDown(ms: number): Promise<void> {
  await sleep(ms);
}

const faults: Fault[] = [
  {
    name: "kill",
    what: `redis-server SIGKILLed, restarted empty after ${hold} ms`,
    inject: () => redis.kill(),
    lift: () => redis.restart(),
  },
  {
    name: "client-pause",
    what: `CLIENT PAUSE ${hold} ALL: every command waits`,
    async inject() {
      const c = admin();
      await c.connect();
      await c.call("CLIENT", "PAUSE", String(hold), "ALL");
      c.disconnect();
    },
    lift: () => waitDown(0), // the pause ends by itself when the hold ends
  },
  (() => {
    let sleeping: Promise<unknown> = Promise.resolve();
    return {
      name: "debug-sleep",
      what: `DEBUG SLEEP ${hold / 1000}: the server blocks`,
      async inject() {
        const c = admin();
        await c.connect();
        sleeping = c.call("DEBUG", "SLEEP", String(hold / 1000)).finally(() => c.disconnect());
      },
      lift: async () => {
        await sleeping;
      },
    };
  })(),
  {
    name: "latency-150ms",
    what: "150 ms added each way by the proxy (above the 100 ms store timeouts)",
    inject: async () => proxy.setMode({ kind: "latency", ms: 150 }),
    lift: async () => proxy.setMode({ kind: "pass" }),
  },
  {
    name: "latency-20ms",
    what: "20 ms added each way by the proxy (below the store timeouts)",
    inject: async () => proxy.setMode({ kind: "latency", ms: 20 }),
    lift: async () => proxy.setMode({ kind: "pass" }),
  },
  {
    name: "drop",
    what: "the proxy resets every connection and refuses new ones",
    inject: async () => proxy.setMode({ kind: "drop" }),
    lift: async () => proxy.setMode({ kind: "pass" }),
  },
  {
    name: "blackhole",
    what: "the proxy holds every byte (a partition); connections reset when it ends",
    inject: async () => proxy.setMode({ kind: "blackhole" }),
    lift: async () => proxy.setMode({ kind: "pass" }),
  },
];

interface Stats {
  readonly unhandledRejections: number;
  readonly uncaughtExceptions: number;
  readonly requests: number;
  readonly originCalls: number;
  readonly limiters: Record<string, { fallbacks: number; storeErrors: number; storeTimeouts: number }>;
  readonly cache: { errors: number };
  readonly remoteCache: { errors: number };
}
async function stats(): Promise<Stats> {
  const answer = await send({ route: "stats", port: server.port, path: "/stats" }, 5_000, true);
  return JSON.parse(answer.body ?? "{}") as Stats;
}

interface Row extends FaultResult {
  readonly unhandledRejections: number;
  readonly crashes: number;
  readonly monitorCounted: number;
  readonly requestsReachingServer: number;
  readonly fallbacks: Record<string, number>;
  readonly cacheErrors: number;
}

const results: Row[] = [];
// Warm up: scripts loaded, connections open.
await measureFault(
  { name: "warm-up", what: "", inject: async () => {}, lift: async () => {} },
  { next: target, workers: 8 },
  probes,
  {
    warmMs: 300,
    holdMs: 0,
    recoverMaxMs: 5_000,
    tailMs: 300,
  },
);

for (const fault of faults) {
  if (only !== undefined && !only.includes(fault.name)) continue;
  const before = await stats();
  const crashesBefore = server.crashes;
  let sent = 0;
  const result = await measureFault(
    fault,
    {
      next: (i) => {
        sent++;
        return target(i);
      },
      workers: 16,
      timeoutMs: 2_000,
    },
    probes,
    timeline,
  );
  await sleep(200); // let aborted requests finish on the server side
  const crashes = server.crashes - crashesBefore;
  if (crashes > 0 || server.process.exitCode !== null) server = await startServer();
  const after = await stats();
  // Every request the load and the probes sent reached the server; /stats counts all but itself.
  results.push({
    ...result,
    unhandledRejections:
      after.unhandledRejections -
      before.unhandledRejections +
      (after.uncaughtExceptions - before.uncaughtExceptions),
    crashes,
    monitorCounted: after.requests - before.requests - 1,
    requestsReachingServer: sent + result.probesSent,
    fallbacks: Object.fromEntries(
      Object.entries(after.limiters).map(([name, s]) => [
        name,
        s.fallbacks - (before.limiters[name]?.fallbacks ?? 0),
      ]),
    ),
    cacheErrors:
      after.cache.errors - before.cache.errors + (after.remoteCache.errors - before.remoteCache.errors),
  });
  console.error(`${fault.name}: recovered in ${result.recoveryMs ?? "never"} ms, ${result.samples} requests`);
}

if (process.env.DEBUG_REFUSALS) console.error(server.stderrTail.join("\n"));
await server.stop();
await proxy.close();
await redis.kill();
closeAgent();

const fmt = (s: { statuses: Record<string, number> } | undefined) =>
  s === undefined
    ? "-"
    : Object.entries(s.statuses)
        .map(([k, v]) => `${k}:${v}`)
        .join(" ");
const sections: Section[] = [
  {
    title: "Redis faults under load (in-process packages behind node:http, 16 concurrent clients)",
    columns: [
      "fault",
      "requests during",
      "answered",
      "status mix (all routes)",
      "worst latency ms",
      "p99 ms",
      "recovery ms",
      "unhandled",
      "crashes",
      "limiter fallbacks (allow/deny/insured)",
      "cache errors counted",
    ],
    rows: results.map((r) => [
      r.fault,
      r.during.all?.requests ?? 0,
      r.during.all?.answered ?? 0,
      fmt(r.during.all),
      r.during.all?.worstLatencyMs ?? 0,
      r.during.all?.p99LatencyMs ?? 0,
      r.recoveryMs ?? "never",
      r.unhandledRejections,
      r.crashes,
      `${r.fallbacks.allow ?? 0}/${r.fallbacks.deny ?? 0}/${r.fallbacks.insured ?? 0}`,
      r.cacheErrors,
    ]),
  },
  {
    title: "Status mix by route during each fault",
    columns: ["fault", ...routes],
    rows: results.map((r) => [r.fault, ...routes.map((route) => fmt(r.during[route]))]),
    notes: [
      "cache and redis-cache fall through to the origin (200); limit-allow admits (200); limit-deny refuses with 429 while Redis fails; limit-insured limits from its memory insurance (200: the load stays under its 2,000/s per user).",
    ],
  },
];

const checks: Check[] = [];
for (const r of results) {
  const d = r.during;
  const mustAnswer = ["cache", "redis-cache", "limit-allow", "limit-insured", "limit-deny"];
  const unanswered = mustAnswer.reduce(
    (sum, route) => sum + ((d[route]?.requests ?? 0) - (d[route]?.answered ?? 0)),
    0,
  );
  const non200 = ["cache", "redis-cache", "limit-allow", "limit-insured"].reduce(
    (sum, route) =>
      sum + Object.entries(d[route]?.statuses ?? {}).reduce((s, [k, v]) => s + (k === "200" ? 0 : v), 0),
    0,
  );
  const denyOdd = Object.keys(d["limit-deny"]?.statuses ?? {}).filter((k) => k !== "200" && k !== "429");
  checks.push(
    {
      name: `${r.fault}: no unhandled rejection, no crash`,
      pass: r.unhandledRejections === 0 && r.crashes === 0,
      detail: `${r.unhandledRejections} unhandled, ${r.crashes} crashes`,
    },
    {
      name: `${r.fault}: every request answered`,
      pass: unanswered === 0,
      detail: `${unanswered} unanswered of ${d.all?.requests ?? 0}`,
    },
    {
      name: `${r.fault}: cache and fail-open/insured limiter answer 200`,
      pass: non200 === 0,
      detail: `${non200} other statuses`,
    },
    {
      name: `${r.fault}: fail-closed limiter answers only 200 or 429`,
      pass: denyOdd.length === 0,
      detail: denyOdd.join(", ") || "200/429 only",
    },
    {
      name: `${r.fault}: recovered`,
      pass: r.recoveryMs !== undefined,
      detail: `${r.recoveryMs ?? "never"} ms after Redis came back`,
    },
    {
      name: `${r.fault}: perf-monitor counted every request`,
      pass: r.monitorCounted === r.requestsReachingServer,
      detail: `${r.monitorCounted} counted, ${r.requestsReachingServer} sent (load and probes)`,
    },
  );
}

writeReport({
  script: quick ? "faults-quick" : "faults",
  startedAt: new Date(started).toISOString(),
  durationMs: Date.now() - started,
  machine: machine(),
  checks,
  sections,
  data: results.map(({ fiveHundreds, ...r }) => ({ ...r, fiveHundreds: fiveHundreds.length })),
});
process.exit(checks.every((c) => c.pass) ? 0 : 1);
