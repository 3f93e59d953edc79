/**
 * A prom-client histogram middleware on Express, the usual hand-written shape: a timer started per
 * request, observed on `finish` with method, route and status labels, into a private registry.
 */
import { createServer } from "node:http";
import express from "express";
import { Histogram, Registry } from "prom-client";
import { BODY, type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "prom-client histogram",
  group: "perf-monitor",
  framework: "express",
  baseline: "express",
  start: (port) => {
    const registry = new Registry();
    const duration = new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request duration in seconds",
      labelNames: ["method", "route", "status_code"],
      registers: [registry],
    });
    const app = express();
    app.use((req, res, next) => {
      const end = duration.startTimer();
      res.on("finish", () => {
        end({ method: req.method, route: req.route?.path ?? req.path, status_code: res.statusCode });
      });
      next();
    });
    app.get("/", (_req, res) => {
      res.json(BODY);
    });
    return listen(createServer(app), port);
  },
};
