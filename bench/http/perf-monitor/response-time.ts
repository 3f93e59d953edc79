/** The response-time middleware on Express (sets X-Response-Time on every response). */
import { createServer } from "node:http";
import responseTime from "response-time";
import { expressApp } from "../../src/http/express-app.js";
import { type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "response-time",
  group: "perf-monitor",
  framework: "express",
  baseline: "express",
  start: (port) => listen(createServer(expressApp(responseTime())), port),
};
