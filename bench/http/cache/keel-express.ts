/**
 * @keel/cache's response cache on Express, in front of the 5 ms route, in memory (a cache of its
 * own). The cache is filled and a hit checked before the harness drives it, so every measured
 * request is a hit; `handlerRuns/req` shows the route never ran. Issue #6's target: a hit costs no
 * more server CPU than bare Express answering the same body with no work (the `express` row).
 */
import { createServer } from "node:http";
import { createCache } from "@keel/cache";
import { cacheMiddleware } from "@keel/cache/express";
import express from "express";
import { expectCacheHit } from "../../src/http/cache-check.js";
import { BODY, delay, type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "@keel/cache (hit)",
  group: "cache",
  framework: "express",
  baseline: "express",
  start: async (port) => {
    const cache = createCache();
    let handlerRuns = 0;
    const app = express();
    app.get("/", cacheMiddleware({ ttl: 3600, cache }), async (_req, res) => {
      handlerRuns++;
      await delay(5);
      res.json(BODY);
    });
    const running = await listen(createServer(app), port, () => cache.close());
    await expectCacheHit(running.port);
    return { ...running, counters: () => ({ handlerRuns }) };
  },
};
