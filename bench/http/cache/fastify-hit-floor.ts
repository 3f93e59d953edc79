/**
 * The least any Fastify response cache can do on a hit: an `onRequest` hook that answers at once with
 * a body held in memory and the four headers issue #6 asks of every hit (ETag, X-Cache, Cache-Status,
 * Age), with no key, no lookup and no freshness check. Not a cache: the floor that
 * `@keel/cache on fastify (hit)` is measured against, next to bare Fastify.
 */
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { HIT_BYTES, HIT_HEADERS } from "../../src/http/hit-floor.js";
import { BODY, HOST, type HttpVariant } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "fastify, hook answering like a hit (floor)",
  group: "cache",
  framework: "fastify",
  baseline: "fastify",
  start: async (port) => {
    const app = Fastify({ logger: false });
    // Answers without calling done(): the route handler never runs.
    app.addHook("onRequest", (_request, reply, _done) => {
      reply.headers(HIT_HEADERS).send(HIT_BYTES);
    });
    app.get("/", async () => BODY);
    await app.listen({ port, host: HOST });
    return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
  },
};
