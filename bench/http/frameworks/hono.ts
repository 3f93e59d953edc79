/** Bare Hono on @hono/node-server. */
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { BODY, type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "hono",
  group: "frameworks",
  framework: "hono",
  baseline: "node:http",
  start: (port) => {
    const app = new Hono();
    app.get("/", (c) => c.json(BODY));
    return listen(createAdaptorServer({ fetch: app.fetch }) as Server, port);
  },
};
