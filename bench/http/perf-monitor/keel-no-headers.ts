/**
 * @keel/perf-monitor's Express middleware with both timing headers off (`responseTimeHeader: false,
 * serverTiming: false`): the same work as the prom-client variant (time, record with method, route
 * and status), so the two compare like for like.
 */
import { createServer } from "node:http";
import { createMonitor } from "@keel/perf-monitor";
import { middleware } from "@keel/perf-monitor/express";
import { expressApp } from "../../src/http/express-app.js";
import { type HttpVariant, listen } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "@keel/perf-monitor (no timing headers)",
  group: "perf-monitor",
  framework: "express",
  baseline: "express",
  start: (port) => {
    const monitor = createMonitor();
    const timing = middleware({ monitor, responseTimeHeader: false, serverTiming: false });
    const running = listen(createServer(expressApp(timing)), port);
    return running.then((server) => ({
      ...server,
      counters: () => ({ recorded: monitor.getMetrics("GET /")?.count ?? 0 }),
    }));
  },
};
