// After: @keel/perf-monitor. The middleware names requests by route template, and the histogram's
// bucket counts are exact.
import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { metricsHandler } from "@keel/perf-monitor";
import { middleware } from "@keel/perf-monitor/express";
import express from "express";

const app = express();
app.use(middleware());
app.get("/metrics", metricsHandler({ prefix: "http" })); // process memory gauges included
app.get("/api/modules/:slug", (req, res) => {
  res.json({ slug: req.params.slug });
});

const server = app.listen(0, "127.0.0.1");
await once(server, "listening");
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
await fetch(`${base}/api/modules/intro`);
const text = await (await fetch(`${base}/metrics`)).text();
assert.match(text, /http_duration_seconds_count\{name="GET \/api\/modules\/:slug"\} 1/);
assert.match(text, /http_responses_total\{name="GET \/api\/modules\/:slug",status_class="2xx"\} 1/);
assert.match(text, /http_process_memory_bytes\{type="heapUsed"\}/);
server.close();
