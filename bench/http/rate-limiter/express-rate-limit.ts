/**
 * express-rate-limit with its default MemoryStore, on one hot key (every request comes from
 * 127.0.0.1), with a limit high enough that every request is allowed: the cost of the check.
 */
import { createServer } from "node:http";
import express from "express";
import { rateLimit } from "express-rate-limit";
import { BODY, type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "express-rate-limit (memory)",
  group: "rate-limiter",
  framework: "express",
  baseline: "express",
  start: (port) => {
    const app = express();
    app.use(
      rateLimit({ windowMs: 60_000, limit: 1_000_000_000, standardHeaders: "draft-8", legacyHeaders: false }),
    );
    app.get("/", (_req, res) => {
      res.json(BODY);
    });
    return listen(createServer(app), port);
  },
};
