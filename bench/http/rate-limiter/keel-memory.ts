/**
 * @keel/rate-limiter's Express middleware with its default memory store and fixed window, on one
 * hot key (every request comes from 127.0.0.1), with a limit no run reaches: the cost of the
 * check. It sends its default headers (`headers: "both"`: X-RateLimit-* and the IETF fields).
 * Issue #4's target: at most 15 µs of server CPU per request over bare Express.
 */
import { createServer } from "node:http";
import { rateLimitMiddleware } from "@keel/rate-limiter/express";
import { expressApp } from "../../src/http/express-app.js";
import { type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "@keel/rate-limiter (memory)",
  group: "rate-limiter",
  framework: "express",
  baseline: "express",
  start: (port) => {
    const limit = rateLimitMiddleware({ limit: 1_000_000_000, window: 60 });
    return listen(createServer(expressApp(limit)), port, () => limit.limiter.close());
  },
};
