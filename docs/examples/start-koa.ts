// Koa 3 with @koa/router and all three packages.
import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { cacheMiddleware } from "@keel/cache/koa";
import { metricsHandler, monitor } from "@keel/perf-monitor";
import { middleware as timing } from "@keel/perf-monitor/koa";
import { rateLimitMiddleware } from "@keel/rate-limiter/koa";
import Router from "@koa/router";
import Koa from "koa";

const app = new Koa();
const router = new Router();
const metrics = metricsHandler();
const limit = rateLimitMiddleware({ limit: 100, window: 60 });

router.get("/metrics", (ctx) => {
  ctx.respond = false; // metricsHandler writes the Node response itself
  metrics(ctx.req, ctx.res);
});

let handlerRuns = 0;
router.get("/api/modules/:slug", limit, cacheMiddleware(3600), (ctx) => {
  handlerRuns += 1;
  ctx.body = { success: true, data: { slug: ctx.params.slug } };
});

app.use(timing()).use(router.routes());

const server = app.listen(0, "127.0.0.1");
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
