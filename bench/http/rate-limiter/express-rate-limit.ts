/**
 * express-rate-limit with its default MemoryStore, on one hot key (every request comes from
 * 127.0.0.1), with a limit high enough that every request is allowed: the cost of the check.
 */
import { createServer } from "node:http";
import { rateLimit } from "express-rate-limit";
import { expressApp } from "../../src/http/express-app.js";
import { type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "express-rate-limit (memory)",
  group: "rate-limiter",
  framework: "express",
  baseline: "express",
  start: (port) => {
    const limiter = rateLimit({
      windowMs: 60_000,
      limit: 1_000_000_000,
      standardHeaders: "draft-8",
      legacyHeaders: false,
    });
    return listen(createServer(expressApp(limiter)), port);
  },
};
