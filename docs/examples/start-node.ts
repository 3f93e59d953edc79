// Plain node:http: each middleware is a function you call in order. node:http has no router, so
// the timing middleware is told which route template a request matched.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { cacheMiddleware } from "@keel/cache/node";
import { metricsHandler, monitor } from "@keel/perf-monitor";
import { middleware as timingMiddleware } from "@keel/perf-monitor/node";
import { rateLimitMiddleware } from "@keel/rate-limiter/node";

const timing = timingMiddleware({
  route: (req) => (req.url?.startsWith("/api/modules/") ? "/api/modules/:slug" : undefined),
});
const limit = rateLimitMiddleware({ limit: 100, window: 60 });
const cache = cacheMiddleware(3600);
const metrics = metricsHandler();

let handlerRuns = 0;
const server = createServer((req, res) =>
  timing(req, res, async () => {
    if (req.url === "/metrics") return metrics(req, res);
    if (!(await limit(req, res))) return; // refused: a 429 was sent
    if (!(await cache(req, res))) return; // answered from the cache
    handlerRuns += 1;
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ success: true, data: { url: req.url } }));
  }),
);
server.listen(0, "127.0.0.1");
await once(server, "listening");
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const first = await fetch(`${base}/api/modules/intro`);
const second = await fetch(`${base}/api/modules/intro`);
assert.equal(first.headers.get("x-cache"), "MISS");
assert.equal(second.headers.get("x-cache"), "HIT");
assert.equal(second.headers.get("x-ratelimit-remaining"), "98");
assert.equal(handlerRuns, 1);
assert.equal(monitor.getMetrics("GET /api/modules/:slug")?.count, 2);

server.close();
await limit.limiter.close();
