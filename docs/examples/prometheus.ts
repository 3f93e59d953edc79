// Prometheus: serve /metrics from the app (or from a separate port), in seconds, as histograms whose
// bucket counts are exact.
import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createMonitor, metricsHandler } from "@keel/perf-monitor";
import { middleware } from "@keel/perf-monitor/express";
import express from "express";

const monitor = createMonitor({ eventLoopDelay: true }); // also sample event-loop delay
const app = express();
app.use(middleware({ monitor }));
app.get(
  "/metrics",
  metricsHandler({
    source: monitor,
    labels: { service: "education-api" }, // added to every sample
    bucketsPerDoubling: 2, // fewer series: bounds 41% apart instead of 19%
  }),
);
app.get("/api/modules/:slug", async (req, res) => {
  const query = monitor.metric("db.query"); // an operation of your own, next to the requests
  const end = query.start();
  await new Promise((resolve) => setTimeout(resolve, 2));
  end();
  res.json({ slug: req.params.slug });
});

const server = app.listen(0, "127.0.0.1");
await once(server, "listening");
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
for (const slug of ["intro", "advanced", "intro"]) await fetch(`${base}/api/modules/${slug}`);
await fetch(`${base}/missing`);

const response = await fetch(`${base}/metrics`);
const text = await response.text();
assert.match(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
// One series per route template, never per URL; unmatched requests share one name.
assert.match(
  text,
  /keel_duration_seconds_count\{name="GET \/api\/modules\/:slug",service="education-api"\} 3/,
);
assert.match(text, /keel_duration_seconds_count\{name="GET \(unmatched\)",service="education-api"\} 1/);
assert.match(text, /keel_duration_seconds_count\{name="db.query",service="education-api"\} 3/);
assert.match(
  text,
  /keel_responses_total\{name="GET \(unmatched\)",status_class="4xx",service="education-api"\} 1/,
);
assert.match(text, /# TYPE keel_event_loop_delay_seconds summary/);

server.close();
monitor.close();
