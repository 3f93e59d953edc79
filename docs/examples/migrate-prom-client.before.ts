// Before: prom-client, timing requests by hand.
import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import express from "express";
import { collectDefaultMetrics, Histogram, Registry } from "prom-client";

const register = new Registry();
collectDefaultMetrics({ register });
const duration = new Histogram({
  name: "http_request_duration_seconds",
  help: "Request duration",
  labelNames: ["method", "route", "status_code"],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [register],
});

const app = express();
app.use((req, res, next) => {
  const end = duration.startTimer();
  res.on("finish", () => {
    const route = req.route ? req.baseUrl + req.route.path : "(unmatched)";
    end({ method: req.method, route, status_code: res.statusCode });
  });
  next();
});
app.get("/metrics", async (_req, res) => {
  res.set("Content-Type", register.contentType).send(await register.metrics());
});
app.get("/api/modules/:slug", (req, res) => {
  res.json({ slug: req.params.slug });
});

const server = app.listen(0, "127.0.0.1");
await once(server, "listening");
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
await fetch(`${base}/api/modules/intro`);
const text = await (await fetch(`${base}/metrics`)).text();
assert.match(
  text,
  /http_request_duration_seconds_count\{method="GET",route="\/api\/modules\/:slug",status_code="200"\} 1/,
);
server.close();
