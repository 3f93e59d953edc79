/**
 * @keel/cache's response cache on Fastify (registered on the root instance), in front of a route
 * that waits 5 ms, in memory. Filled and checked before measurement; compared with bare Fastify
 * answering the same body with no work. Issue #6's target: no more server CPU per request.
 */
import type { AddressInfo } from "node:net";
import { createCache } from "@keel/cache";
import { cacheMiddleware } from "@keel/cache/fastify";
import Fastify from "fastify";
import { expectCacheHit } from "../../src/http/cache-check.js";
import { BODY, delay, HOST, type HttpVariant } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "@keel/cache on fastify (hit)",
  group: "cache",
  framework: "fastify",
  baseline: "fastify",
  start: async (port) => {
    const cache = createCache();
    let handlerRuns = 0;
    const app = Fastify({ logger: false });
    await app.register(cacheMiddleware({ ttl: 3600, cache }));
    app.get("/", async () => {
      handlerRuns++;
      await delay(5);
      return BODY;
    });
    await app.listen({ port, host: HOST });
    const actual = (app.server.address() as AddressInfo).port;
    await expectCacheHit(actual);
    return {
      port: actual,
      close: async () => {
        await app.close();
        await cache.close();
      },
      counters: () => ({ handlerRuns }),
    };
  },
};
