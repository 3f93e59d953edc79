/**
 * What a timing middleware does per request, without the framework: start a clock, read it for the
 * response-time header, record the request under its route at the end. Baseline: the three clock
 * reads alone (`performance.now()` three times, what @keel/perf-monitor's core reads per request).
 * Issue #5's target: the core costs at most 1 µs per request beyond those clock reads.
 */
import { createMonitor, createRequestTimer } from "@keel/perf-monitor";
import { Histogram, Registry } from "prom-client";
import type { MicroSuite } from "../src/micro/suite.js";

const OUTCOME = { method: "GET", route: "/api/education/modules/:slug", statusCode: 200 } as const;

export const suite: MicroSuite = {
  name: "request-timing",
  group: "perf-monitor",
  title: "the per-request work of a timing middleware, framework excluded",
  baseline: "3 clock reads (performance.now)",
  cases: [
    {
      name: "3 clock reads (performance.now)",
      setup: () => () => performance.now() + performance.now() + performance.now(),
    },
    {
      name: "@keel/perf-monitor core: begin, headers, finish",
      setup: () => {
        const timer = createRequestTimer({ monitor: createMonitor() });
        return () => {
          const perf = timer.begin();
          const headers = timer.headers(perf);
          timer.finish(perf, OUTCOME);
          return headers;
        };
      },
    },
    {
      name: "@keel/perf-monitor core, no headers (serverTiming off, no X-Response-Time)",
      setup: () => {
        const timer = createRequestTimer({
          monitor: createMonitor(),
          serverTiming: false,
          responseTimeHeader: false,
        });
        return () => {
          const perf = timer.begin();
          timer.finish(perf, OUTCOME);
        };
      },
    },
    {
      name: "prom-client startTimer + end(labels)",
      setup: () => {
        const histogram = new Histogram({
          name: "http_request_duration_seconds",
          help: "HTTP request duration in seconds",
          labelNames: ["method", "route", "status_code"],
          registers: [new Registry()],
        });
        return () => {
          const end = histogram.startTimer();
          end({ method: OUTCOME.method, route: OUTCOME.route, status_code: OUTCOME.statusCode });
        };
      },
    },
  ],
};
