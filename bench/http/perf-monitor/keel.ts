/**
 * @keel/perf-monitor's Express middleware with its defaults (X-Response-Time and Server-Timing
 * headers, the request recorded under "GET /" with its status class), into a monitor of its own.
 * Issue #5's target: at most 10 µs of server CPU per request over bare Express.
 */
import { createServer } from "node:http";
import { createMonitor } from "@keel/perf-monitor";
import { middleware } from "@keel/perf-monitor/express";
import { expressApp } from "../../src/http/express-app.js";
import { type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "@keel/perf-monitor",
  group: "perf-monitor",
  framework: "express",
  baseline: "express",
  start: (port) => {
    const monitor = createMonitor();
    const running = listen(createServer(expressApp(middleware({ monitor }))), port);
    return running.then((server) => ({
      ...server,
      // Requests the monitor recorded: proves the middleware ran on every measured response.
      counters: () => ({ recorded: monitor.getMetrics("GET /")?.count ?? 0 }),
    }));
  },
};
