// A node:http server wired with the three packages on one Redis, run as a child process by the fault
// and soak scripts so a crash is seen as an exit, not as the death of the script measuring it.
//
//   GET /cache/:key          cache.getOrSet on tieredStore (memory L1 + Redis L2) -> origin
//   GET /redis-cache/:key    cache.getOrSet on redisStore alone -> origin
//   GET /limit/allow?u=ID    rateLimitMiddleware on redisStore, onStoreError "allow"
//   GET /limit/deny?u=ID     the same with onStoreError "deny" (refuses with 429 + Retry-After: 1)
//   GET /limit/insured?u=ID  the same with a memoryStore as insurance
//   GET /probe/cache/:key    a strict set + get on Redis: 200 when it works, 503 when it does not
//   GET /gc                  full GC (needs --expose-gc), then heap used, bytes
//   GET /metrics             Prometheus text;  GET /stats  JSON counters of everything above
// every route timed by the perf-monitor middleware. Env: REDIS_URL (required), PREFIX, STORE=memory
// to run every store in memory instead (the soak's baseline), LEAK_BYTES (see below). Prints {"port":N} once listening.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type CacheStore, createCache, memoryStore, redisStore, tieredStore } from "@keel/cache";
import { createMonitor, metricsHandler } from "@keel/perf-monitor";
import { middleware as perfMiddleware } from "@keel/perf-monitor/node";
import {
  memoryStore as limitMemory,
  redisStore as limitRedis,
  type RateLimitStore,
} from "@keel/rate-limiter";
import { rateLimitMiddleware } from "@keel/rate-limiter/node";
import { Redis } from "ioredis";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = process.env.PREFIX ?? `keel-reliability:${process.pid}:`;
const inMemory = process.env.STORE === "memory";

let unhandledRejections = 0;
let uncaughtExceptions = 0;
process.on("unhandledRejection", (reason) => {
  unhandledRejections++;
  console.error("unhandledRejection", reason);
});
process.on("uncaughtException", (error) => {
  uncaughtExceptions++;
  console.error("uncaughtException", error);
});

// Fail-fast clients, as the rate limiter's README advises: a command fails at once while disconnected.
const failFast = { maxRetriesPerRequest: 0, enableOfflineQueue: false, autoResendUnfulfilledCommands: false };
const clients: Redis[] = [];
function client(extra: object = {}): Redis {
  const c = new Redis(redisUrl, { ...failFast, retryStrategy: () => 50, ...extra });
  c.on("error", () => {}); // counted through the packages' own error reporting
  clients.push(c);
  return c;
}

const cacheClient = inMemory ? undefined : client();
const l2 = (p: string): CacheStore =>
  cacheClient === undefined ? memoryStore({ max: 10_000 }) : redisStore({ client: cacheClient, prefix: p });
const tiered = createCache({
  store: inMemory
    ? memoryStore({ max: 10_000 })
    : tieredStore([memoryStore({ max: 1_000 }), l2(`${prefix}tiered:`)], {
        subscriber: client({ enableOfflineQueue: true }),
      }),
  storeTimeout: 100,
});
const remote = createCache({ store: l2(`${prefix}remote:`), storeTimeout: 100 });
// Strict: a failed write rejects, so /probe/cache tells whether the Redis connection works again.
const probe = createCache({ store: l2(`${prefix}probe:`), storeTimeout: 100, strict: true, defaultTtl: 10 });
let originCalls = 0;
const origin = async (key: string) => {
  originCalls++;
  await new Promise((resolve) => setTimeout(resolve, 2));
  return { key, at: Date.now() };
};

const limitClient = inMemory ? undefined : client();
// One prefix per limiter: limiters sharing a store, a key and a policy name would share counters.
const limitStore = (name: string): RateLimitStore =>
  limitClient === undefined
    ? limitMemory({ max: 100_000 })
    : limitRedis({ client: limitClient, prefix: `${prefix}rl:${name}:` });
const keyGenerator = (req: IncomingMessage) =>
  `u:${new URL(req.url ?? "/", "http://x").searchParams.get("u") ?? "anon"}`;
// A limit the unpaced load never reaches (a few hundred requests a second per user at most), so a 429
// on these routes can only come from a failure decision.
const common = { limit: 2_000, window: 1, keyGenerator, storeTimeout: 100 } as const;
const limiters = {
  allow: rateLimitMiddleware({ ...common, store: limitStore("allow"), onStoreError: "allow" }),
  deny: rateLimitMiddleware({ ...common, store: limitStore("deny"), onStoreError: "deny" }),
  insured: rateLimitMiddleware({
    ...common,
    store: limitStore("insured"),
    insurance: limitMemory({ max: 10_000 }),
  }),
};

const monitor = createMonitor({ maxMetrics: 50 });
const routes: [RegExp, string][] = [
  [/^\/cache\//, "/cache/:key"],
  [/^\/redis-cache\//, "/redis-cache/:key"],
  [/^\/limit\/(allow|deny|insured)/, "/limit/:mode"],
  [/^\/probe\/cache\//, "/probe/cache/:key"],
  [/^\/metrics/, "/metrics"],
  [/^\/gc/, "/gc"],
  [/^\/stats/, "/stats"],
];
const timing = perfMiddleware({
  monitor,
  route: (req) => routes.find(([pattern]) => pattern.test(req.url ?? ""))?.[1],
});
const metrics = metricsHandler({ source: monitor });

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if (path.startsWith("/cache/") || path.startsWith("/redis-cache/")) {
    const key = decodeURIComponent(path.slice(path.indexOf("/", 1) + 1));
    const cache = path.startsWith("/cache/") ? tiered : remote;
    json(res, 200, await cache.getOrSet(key, () => origin(key), 60));
  } else if (path.startsWith("/limit/")) {
    const mode = path.slice("/limit/".length) as keyof typeof limiters;
    const limit = limiters[mode];
    if (limit === undefined) return json(res, 404, { error: "no such mode" });
    if (await limit(req, res)) json(res, 200, { ok: true });
    else if (process.env.DEBUG_REFUSALS && mode !== "deny") {
      console.error(
        "refused",
        mode,
        req.url,
        JSON.stringify((req as IncomingMessage & { rateLimit?: unknown }).rateLimit),
      );
    }
  } else if (path.startsWith("/probe/cache/")) {
    const key = path.slice("/probe/cache/".length);
    try {
      await probe.set(key, key);
      json(res, (await probe.get(key)) === key ? 200 : 503, { key });
    } catch {
      json(res, 503, { key });
    }
  } else if (path === "/gc") {
    // Full collections (twice: weak references and finalizers free more on the second), then the heap.
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) return json(res, 501, { error: "run with --expose-gc" });
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    json(res, 200, { heapUsed: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss });
  } else if (path === "/metrics") {
    metrics(req, res);
  } else if (path === "/stats") {
    json(res, 200, {
      unhandledRejections,
      uncaughtExceptions,
      originCalls,
      cache: await tiered.getStats(),
      remoteCache: await remote.getStats(),
      limiters: Object.fromEntries(Object.entries(limiters).map(([name, m]) => [name, m.limiter.stats()])),
      requests: Object.values(monitor.getAllMetrics()).reduce((sum, m) => sum + m.count, 0),
      heapUsed: process.memoryUsage().heapUsed,
    });
  } else json(res, 404, { error: "not found" });
}

// LEAK_BYTES=n keeps n bytes per request forever: the soak's proof that it catches a leak.
const leakBytes = Number(process.env.LEAK_BYTES ?? 0);
const leaked: string[] = [];

const server = createServer((req, res) =>
  timing(req, res, () => {
    if (leakBytes > 0) leaked.push(`${"x".repeat(leakBytes)}${leaked.length}`);
    handle(req, res).catch((error: unknown) => {
      console.error("handler error", error);
      if (!res.headersSent) json(res, 500, { error: "internal" });
      else res.destroy();
    });
  }),
);
server.keepAliveTimeout = 5_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === "object" && address ? address.port : 0 }));
});

async function shutdown(): Promise<void> {
  server.closeAllConnections();
  server.close();
  await Promise.allSettled([
    tiered.close(),
    remote.close(),
    probe.close(),
    ...Object.values(limiters).map((m) => m.limiter.close()),
  ]);
  for (const c of clients) c.disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("disconnect", () => void shutdown());
