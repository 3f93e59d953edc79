// Fastify 5 with all three packages. Fastify plugins are registered, and `app.inject` tries them
// without opening a port.
import assert from "node:assert/strict";
import { cacheMiddleware } from "@keel/cache/fastify";
import { monitor, PROMETHEUS_CONTENT_TYPE, toPrometheus } from "@keel/perf-monitor";
import { middleware as timing } from "@keel/perf-monitor/fastify";
import { rateLimitMiddleware } from "@keel/rate-limiter/fastify";
import Fastify from "fastify";

const app = Fastify();
await app.register(timing());
const limit = rateLimitMiddleware({ limit: 100, window: 60 });
await app.register(limit);

app.get("/metrics", async (_request, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(toPrometheus()));

let handlerRuns = 0;
await app.register(async (cached) => {
  // Only the routes of this plugin are cached.
  await cached.register(cacheMiddleware(3600));
  cached.get("/api/modules/:slug", async (request) => {
    handlerRuns += 1;
    const { slug } = request.params as { slug: string };
    const end = request.perf.start("db"); // a named timing, sent in Server-Timing
    const data = { slug, title: `Module ${slug}` };
    end();
    return { success: true, data };
  });
});

const first = await app.inject({ method: "GET", url: "/api/modules/intro" });
const second = await app.inject({ method: "GET", url: "/api/modules/intro" });
assert.equal(first.headers["x-cache"], "MISS");
assert.equal(second.headers["x-cache"], "HIT");
assert.equal(second.headers["x-ratelimit-remaining"], "98");
assert.match(String(first.headers["server-timing"]), /db;dur=/);
assert.equal(handlerRuns, 1);
assert.equal(monitor.getMetrics("GET /api/modules/:slug")?.count, 2); // the route template, not the URL

await app.close();
await limit.limiter.close();
