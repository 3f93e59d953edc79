// After: @keel/cache. TTLs are seconds; groups become tags, or a path pattern.
import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { cacheMiddleware, defaultCache, invalidateCacheTags } from "@keel/cache/express";
import express from "express";

const app = express();
let runs = 0;
app.get("/api/modules", cacheMiddleware({ ttl: 300, tags: ["modules"] }), (_req, res) => {
  runs += 1;
  res.json({ success: true });
});
app.put("/api/modules/:slug", async (_req, res) => {
  await invalidateCacheTags(["modules"]); // or invalidateCache("/api/modules*")
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
assert.equal((await defaultCache().getStats()).hits, 1);
server.close();
