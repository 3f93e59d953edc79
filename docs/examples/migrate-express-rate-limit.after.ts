// After: @keel/rate-limiter. The window is in seconds; trust proxy is an option of the middleware.
import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { rateLimitMiddleware } from "@keel/rate-limiter/express";
import express from "express";

const app = express();
const limit = rateLimitMiddleware({
  window: 60, // seconds
  limit: 3,
  headers: "draft", // RateLimit and RateLimit-Policy; "both" (the default) adds X-RateLimit-*
  trustProxy: "loopback",
  skip: (req) => req.path === "/health",
  message: "Too many requests",
});
app.use("/api", limit);
app.get("/api/modules", (_req, res) => {
  res.json({ success: true });
});

const server = app.listen(0, "127.0.0.1");
await once(server, "listening");
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const responses = [];
for (let i = 0; i < 4; i++) responses.push(await fetch(`${base}/api/modules`));
assert.deepEqual(
  responses.map((r) => r.status),
  [200, 200, 200, 429],
);
const refused = responses[3];
assert.ok(refused !== undefined && Number(refused.headers.get("retry-after")) > 0);
assert.equal((await refused.json()).message, "Too many requests");
server.close();
await limit.limiter.close();
