/** The response-time middleware on Express (sets X-Response-Time on every response). */
import { createServer } from "node:http";
import express from "express";
import responseTime from "response-time";
import { BODY, type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "response-time",
  group: "perf-monitor",
  framework: "express",
  baseline: "express",
  start: (port) => {
    const app = express();
    app.use(responseTime());
    app.get("/", (_req, res) => {
      res.json(BODY);
    });
    return listen(createServer(app), port);
  },
};
