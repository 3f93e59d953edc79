// Before: express-rate-limit.
import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import express from "express";
import { rateLimit } from "express-rate-limit";

const app = express();
app.set("trust proxy", "loopback");
app.use(
  "/api",
  rateLimit({
    windowMs: 60 * 1000, // milliseconds
    limit: 3,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    skip: (req) => req.path === "/health",
    message: { error: "Too many requests" },
  }),
);
app.get("/api/modules", (_req, res) => {
  res.json({ success: true });
});

const server = app.listen(0, "127.0.0.1");
await once(server, "listening");
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const statuses = [];
for (let i = 0; i < 4; i++) statuses.push((await fetch(`${base}/api/modules`)).status);
assert.deepEqual(statuses, [200, 200, 200, 429]);
server.close();
