// What the response cache stores, and what it never shares. Every answer carries X-Cache
// (HIT, MISS, STALE or BYPASS) and an RFC 9211 Cache-Status saying why.
import assert from "node:assert/strict";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { createCache } from "@keel/cache";
import { cacheMiddleware, invalidateCache } from "@keel/cache/express";
import express, { type NextFunction, type Request, type Response } from "express";

const cache = createCache(); // its own cache, so this example starts empty
const runs: Record<string, number> = {};
const count = (name: string) => {
  runs[name] = (runs[name] ?? 0) + 1;
};

// A stand-in for your authentication: sets req.user from a bearer token.
function authenticate(req: Request, _res: Response, next: NextFunction) {
  const token = req.get("authorization")?.replace(/^Bearer /, "");
  if (token) (req as Request & { user?: { id: string } }).user = { id: token };
  next();
}

const app = express();
app.get("/catalog", cacheMiddleware({ ttl: 600, cache }), (_req, res) => {
  count("catalog");
  res.json({ courses: 12 });
});
app.get("/greeting", cacheMiddleware({ ttl: 600, cache }), (_req, res) => {
  count("greeting");
  res.cookie("seen", "1").json({ hello: "world" }); // Set-Cookie: never stored
});
app.get("/dashboard", authenticate, cacheMiddleware({ ttl: 60, private: true, cache }), (req, res) => {
  count("dashboard");
  res.json({ user: (req as Request & { user?: { id: string } }).user?.id });
});

const server = app.listen(0, "127.0.0.1");
await once(server, "listening");
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });

// A public route: stored once, then served with Age and a strong ETag.
assert.equal((await get("/catalog")).headers.get("x-cache"), "MISS");
const hit = await get("/catalog");
assert.equal(hit.headers.get("x-cache"), "HIT");
const etag = hit.headers.get("etag") ?? "";
// A conditional request for what the client already has: 304, no body.
assert.equal((await get("/catalog", { "if-none-match": etag })).status, 304);

// A request with credentials is never answered from (nor stored into) a shared entry.
assert.equal((await get("/catalog", { authorization: "Bearer ada" })).headers.get("x-cache"), "BYPASS");
assert.equal((await get("/catalog", { cookie: "connect.sid=s%3Aabc" })).headers.get("x-cache"), "BYPASS");
assert.equal(runs.catalog, 3); // the first miss and the two bypasses

// A response that sets a cookie is never stored.
await get("/greeting");
await get("/greeting");
assert.equal(runs.greeting, 2);

// A private route keeps one entry per signed-in user, and does not cache anonymous requests.
const ada = await get("/dashboard", { authorization: "Bearer ada" });
const adaAgain = await get("/dashboard", { authorization: "Bearer ada" });
const grace = await get("/dashboard", { authorization: "Bearer grace" });
assert.deepEqual(await adaAgain.json(), { user: "ada" });
assert.deepEqual(await grace.json(), { user: "grace" }); // never Ada's copy
assert.equal(ada.headers.get("x-cache"), "MISS");
assert.equal(adaAgain.headers.get("x-cache"), "HIT");
assert.equal((await get("/dashboard")).headers.get("x-cache"), "BYPASS");

// After a write, drop what it changed: every query string, user and variant of the path.
assert.equal(await invalidateCache("/catalog*", { cache }), 1);
assert.equal((await get("/catalog")).headers.get("x-cache"), "MISS");

server.close();
await cache.close();
