// Hono on Node with all three packages. Hono's context carries the per-request timing handle.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { cacheMiddleware } from "@keel/cache/hono";
import { monitor, PROMETHEUS_CONTENT_TYPE, toPrometheus } from "@keel/perf-monitor";
import { type PerfEnv, middleware as timing } from "@keel/perf-monitor/hono";
import { rateLimitMiddleware } from "@keel/rate-limiter/hono";
import { Hono } from "hono";

const app = new Hono<PerfEnv>();
app.use(timing());
const limit = rateLimitMiddleware({ limit: 100, window: 60 });
app.use("/api/*", limit);
app.get("/metrics", (c) => c.body(toPrometheus(), 200, { "Content-Type": PROMETHEUS_CONTENT_TYPE }));

let handlerRuns = 0;
app.get("/api/modules/:slug", cacheMiddleware(3600), (c) => {
  handlerRuns += 1;
  const end = c.get("perf").start("db");
  const data = { slug: c.req.param("slug") };
  end();
  return c.json({ success: true, data });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
await new Promise((resolve) => server.once("listening", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const first = await fetch(`${base}/api/modules/intro`);
const second = await fetch(`${base}/api/modules/intro`);
assert.equal(first.headers.get("x-cache"), "MISS");
assert.equal(second.headers.get("x-cache"), "HIT");
assert.equal(second.headers.get("x-ratelimit-remaining"), "98");
assert.deepEqual(await second.json(), { success: true, data: { slug: "intro" } });
assert.equal(handlerRuns, 1);
assert.equal(monitor.getMetrics("GET /api/modules/:slug")?.count, 2);

server.close();
await limit.limiter.close();
