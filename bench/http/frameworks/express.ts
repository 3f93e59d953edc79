/** Bare Express 5: the baseline of every Express middleware variant. */
import { createServer } from "node:http";
import { expressApp } from "../../src/http/express-app.js";
import { type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "express",
  group: "frameworks",
  framework: "express",
  baseline: "node:http",
  start: (port) => listen(createServer(expressApp()), port),
};
