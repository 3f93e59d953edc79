/** Express, uncached, on the route the cache variants wrap: its handler waits 5 ms (a query, say). */
import { createServer } from "node:http";
import express from "express";
import { BODY, delay, type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "express 5 ms route (uncached)",
  group: "cache",
  framework: "express",
  baseline: "express",
  start: async (port) => {
    let handlerRuns = 0;
    const app = express();
    app.get("/", async (_req, res) => {
      handlerRuns++;
      await delay(5);
      res.json(BODY);
    });
    const running = await listen(createServer(app), port);
    return { ...running, counters: () => ({ handlerRuns }) };
  },
};
