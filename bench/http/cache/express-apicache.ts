/**
 * apicache's hit path on Express: the 5 ms route behind `apicache.middleware`, in memory. The
 * warmup's first request fills the cache; every measured request is a hit (`handlerRuns/req` 0).
 */
import { createServer } from "node:http";
import apicache from "apicache";
import express from "express";
import { BODY, delay, type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "apicache (hit)",
  group: "cache",
  framework: "express",
  baseline: "express",
  start: async (port) => {
    const cache = apicache.newInstance({ defaultDuration: "1 hour" });
    let handlerRuns = 0;
    const app = express();
    app.get("/", cache.middleware(), async (_req, res) => {
      handlerRuns++;
      await delay(5);
      res.json(BODY);
    });
    const running = await listen(createServer(app), port, () => cache.clear());
    return { ...running, counters: () => ({ handlerRuns }) };
  },
};
