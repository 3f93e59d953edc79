// From one process to many: two instances of one Express app share their rate limits and their
// response cache through Redis. Only the stores change; the routes stay the same.
import assert from "node:assert/strict";
import { once } from "node:events";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { redisStore as cacheRedisStore, createCache } from "@keel/cache";
import { cacheMiddleware } from "@keel/cache/express";
import { createRateLimiter, memoryStore, redisStore } from "@keel/rate-limiter";
import { rateLimitMiddleware } from "@keel/rate-limiter/express";
import express from "express";
import { Redis } from "ioredis";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `docs:${process.pid}:${Date.now()}:`;
let handlerRuns = 0;

async function startInstance() {
  const client = new Redis(url);
  const limiter = createRateLimiter({
    limit: 3,
    window: 60,
    store: redisStore({ client, prefix: `${prefix}rl:` }),
    insurance: memoryStore(), // while Redis is down, limit per process instead of not at all
    storeTimeout: 100, // ms
  });
  const cache = createCache({ store: cacheRedisStore({ client, prefix: `${prefix}cache:` }) });

  const app = express();
  app.use("/api", rateLimitMiddleware({ limiter }));
  app.get("/api/modules", cacheMiddleware({ ttl: 3600, cache }), (_req, res) => {
    handlerRuns += 1;
    res.json({ success: true, data: ["intro"] });
  });
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async () => {
    server.close();
    await limiter.close(); // a limiter you created: you close it
    await cache.close();
    client.disconnect();
  };
  return { base, cache, stop };
}

const one = await startInstance();
const two = await startInstance();

/** A request as a load balancer forwards it: the public Host, whichever instance it lands on. */
function get(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers: { host: "api.example.com" } }, (res) => {
      res.resume().once("end", () => resolve(res.statusCode ?? 0));
    });
    req.once("error", reject).end();
  });
}

// One client, four requests spread over both instances: the limit of 3 holds across them.
const statuses = [];
for (const base of [one.base, two.base, one.base, two.base]) statuses.push(await get(base, "/api/modules"));
assert.deepEqual(statuses, [200, 200, 200, 429]);
assert.equal(handlerRuns, 1); // the response cached by one instance was served by the other

await one.cache.clear();
await one.stop();
await two.stop();
