// Express 5 with all three packages: timing first, then the rate limit, then a cached route.
import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { cacheMiddleware } from "@keel/cache/express";
import { metricsHandler, monitor } from "@keel/perf-monitor";
import { middleware as timing } from "@keel/perf-monitor/express";
import { rateLimitMiddleware } from "@keel/rate-limiter/express";
import express from "express";

const app = express();
app.use(timing()); // first, so it times everything after it
app.get("/metrics", metricsHandler());

const limit = rateLimitMiddleware({ limit: 100, window: 60 }); // 100 requests a minute per client
app.use("/api", limit);

let handlerRuns = 0;
app.get("/api/modules", cacheMiddleware(3600), (_req, res) => {
  handlerRuns += 1;
  res.json({ success: true, data: ["intro", "advanced"] });
});

// Two requests: the second is answered from the cache, and both count against the limit.
const server = app.listen(0, "127.0.0.1");
await once(server, "listening");
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const first = await fetch(`${base}/api/modules`);
const second = await fetch(`${base}/api/modules`);
assert.equal(first.headers.get("x-cache"), "MISS");
assert.equal(second.headers.get("x-cache"), "HIT");
assert.equal(second.headers.get("x-ratelimit-remaining"), "98");
assert.match(second.headers.get("x-response-time") ?? "", /^\d+\.\d+ms$/);
assert.equal(handlerRuns, 1);
assert.equal(monitor.getMetrics("GET /api/modules")?.count, 2);
assert.match(
  await (await fetch(`${base}/metrics`)).text(),
  /keel_duration_seconds_count\{name="GET \/api\/modules"\} 2/,
);

server.close();
await limit.limiter.close();
