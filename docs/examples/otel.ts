// OpenTelemetry: every request recorded into http.server.request.duration with the semantic-convention
// attributes. Here an in-memory exporter stands in for your OTLP exporter.
import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { middleware } from "@keel/perf-monitor/express";
import { otelRequestObserver } from "@keel/perf-monitor/otel";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import express from "express";

const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE); // OTLPMetricExporter in production
const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
const provider = new MeterProvider({ readers: [reader] });
// Or metrics.setGlobalMeterProvider(provider) and otelRequestObserver() with no options.

const app = express();
app.use(middleware({ observers: [otelRequestObserver({ meter: provider.getMeter("education-api") })] }));
app.get("/api/modules/:slug", (req, res) => {
  res.json({ slug: req.params.slug });
});

const server = app.listen(0, "127.0.0.1");
await once(server, "listening");
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
await fetch(`${base}/api/modules/intro`);
await fetch(`${base}/api/modules/advanced`);

await reader.forceFlush();
const metric = exporter
  .getMetrics()
  .flatMap((resource) => resource.scopeMetrics)
  .flatMap((scope) => scope.metrics)
  .find((m) => m.descriptor.name === "http.server.request.duration");
assert.equal(metric?.descriptor.unit, "s");
const point = metric?.dataPoints[0];
assert.deepEqual(point?.attributes, {
  "http.request.method": "GET",
  "http.route": "/api/modules/:slug",
  "http.response.status_code": 200,
  "url.scheme": "http",
});
assert.equal((point?.value as { count: number } | undefined)?.count, 2);

server.close();
await provider.shutdown();
