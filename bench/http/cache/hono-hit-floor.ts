/**
 * The least any Hono cache middleware can do on a hit: a middleware that returns at once a Response
 * with a body held in memory and the four headers issue #6 asks of every hit, with no key, no lookup
 * and no freshness check. Not a cache: the floor that `@keel/cache on hono (hit)` is measured
 * against. Hono answers a route with a single handler without its middleware dispatcher, so any
 * middleware at all, this one included, costs more than the bare route.
 */
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { HIT_BYTES, HIT_HEADERS } from "../../src/http/hit-floor.js";
import { BODY, type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "hono, middleware answering like a hit (floor)",
  group: "cache",
  framework: "hono",
  baseline: "hono",
  start: (port) => {
    const app = new Hono();
    app.get(
      "/",
      () => new Response(HIT_BYTES, { status: 200, headers: HIT_HEADERS }),
      (c) => c.json(BODY),
    );
    return listen(createAdaptorServer({ fetch: app.fetch }) as Server, port);
  },
};
