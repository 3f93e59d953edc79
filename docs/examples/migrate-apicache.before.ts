// Before: apicache.
import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import apicache from "apicache";
import express from "express";

const cache = apicache.middleware;
const app = express();
let runs = 0;
app.get("/api/modules", cache("5 minutes"), (req, res) => {
  runs += 1;
  (req as express.Request & { apicacheGroup?: string }).apicacheGroup = "modules";
  res.json({ success: true });
});
app.put("/api/modules/:slug", (_req, res) => {
  apicache.clear("modules"); // clears the group
  res.json({ success: true });
});

const server = app.listen(0, "127.0.0.1");
await once(server, "listening");
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
await fetch(`${base}/api/modules`);
await fetch(`${base}/api/modules`);
await fetch(`${base}/api/modules/intro`, { method: "PUT" });
await fetch(`${base}/api/modules`);
assert.equal(runs, 2);
apicache.clear("modules"); // apicache.clear() would leave its expiry timers running
server.close();
