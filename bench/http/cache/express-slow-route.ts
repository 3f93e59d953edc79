/** Express, uncached, on the route the cache variants wrap: its handler waits 5 ms (a query, say). */
import { createServer } from "node:http";
import express from "express";
import { BODY, delay, type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "express 5 ms route (uncached)",
  group: "cache",
  framework: "express",
  baseline: "express",
  start: (port) => {
    const app = express();
    app.get("/", async (_req, res) => {
      await delay(5);
      res.json(BODY);
    });
    return listen(createServer(app), port);
  },
};
