/**
 * A prom-client histogram middleware on Express, the usual hand-written shape: a timer started per
 * request, observed on `finish` with method, route and status labels, into a private registry.
 */
import { createServer } from "node:http";
import type { RequestHandler } from "express";
import { Histogram, Registry } from "prom-client";
import { expressApp } from "../../src/http/express-app.js";
import { type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "prom-client histogram",
  group: "perf-monitor",
  framework: "express",
  baseline: "express",
  start: (port) => {
    const duration = new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request duration in seconds",
      labelNames: ["method", "route", "status_code"],
      registers: [new Registry()],
    });
    const middleware: RequestHandler = (req, res, next) => {
      const end = duration.startTimer();
      res.on("finish", () => {
        end({ method: req.method, route: req.route?.path ?? req.path, status_code: res.statusCode });
      });
      next();
    };
    return listen(createServer(expressApp(middleware)), port);
  },
};
