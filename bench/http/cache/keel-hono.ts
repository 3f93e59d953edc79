/**
 * @keel/cache's response cache on Hono (on @hono/node-server), in front of a route that waits
 * 5 ms, in memory. Filled and checked before measurement; compared with bare Hono answering the
 * same body with no work. Issue #6's target: no more server CPU per request.
 */
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import { createCache } from "@keel/cache";
import { cacheMiddleware } from "@keel/cache/hono";
import { Hono } from "hono";
import { expectCacheHit } from "../../src/http/cache-check.js";
import { BODY, delay, type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "@keel/cache on hono (hit)",
  group: "cache",
  framework: "hono",
  baseline: "hono",
  start: async (port) => {
    const cache = createCache();
    let handlerRuns = 0;
    const app = new Hono();
    app.get("/", cacheMiddleware({ ttl: 3600, cache }), async (c) => {
      handlerRuns++;
      await delay(5);
      return c.json(BODY);
    });
    const running = await listen(createAdaptorServer({ fetch: app.fetch }) as Server, port, () =>
      cache.close(),
    );
    await expectCacheHit(running.port);
    return { ...running, counters: () => ({ handlerRuns }) };
  },
};
