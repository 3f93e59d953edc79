import { expect } from "vitest";
import type { Monitor, RequestRecord } from "../../src/index.js";
import type { MiddlewareOptions } from "../../src/request-timer.js";
import type { Harness, TestResponse } from "./harness.js";

/** What a scenario's expectations can look at. */
export interface Outcome {
  readonly harness: Harness;
  readonly monitor: Monitor;
  readonly responses: readonly TestResponse[];
  readonly records: readonly RequestRecord[];
  readonly warnings: readonly string[];
}

/** One behaviour every adapter must have, checked with the same requests on every framework. */
export interface Scenario {
  readonly name: string;
  readonly options?: Omit<MiddlewareOptions, "monitor" | "logger">;
  /** Adds an observer pushing to `records`, or one that throws. */
  readonly observer?: "collect" | "throw";
  readonly requests: readonly (readonly [method: string, path: string])[];
  check(outcome: Outcome): void;
}

const MODULE = "GET /api/education/modules/:slug";

/** Requests recorded by the middleware: the sum of status-class counts over every series. */
export function requestCount(monitor: Monitor): number {
  let n = 0;
  for (const m of Object.values(monitor.getAllMetrics())) {
    for (const count of Object.values(m.statuses ?? {})) n += count;
  }
  return n;
}

export const scenarios: readonly Scenario[] = [
  {
    name: "names a matched route by method and template, never by the raw URL",
    requests: [
      ["GET", "/api/education/modules/intro-to-rust"],
      ["GET", "/api/education/modules/ownership?tab=2"],
    ],
    check({ monitor, responses }) {
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      expect(monitor.getMetrics(MODULE)).toMatchObject({ count: 2, statuses: { "2xx": 2 } });
      const names = Object.keys(monitor.getAllMetrics());
      expect(names.filter((n) => /intro-to-rust|ownership|tab=/.test(n))).toEqual([]);
    },
  },
  {
    name: "files every unmatched URL under one name",
    requests: [
      ["GET", "/nope/1"],
      ["GET", "/nope/2"],
      ["GET", "/wp-admin/install.php"],
    ],
    check({ monitor, responses }) {
      expect(responses.map((r) => r.status)).toEqual([404, 404, 404]);
      expect(Object.keys(monitor.getAllMetrics())).toEqual(["GET (unmatched)"]);
      expect(monitor.getMetrics("GET (unmatched)")).toMatchObject({
        count: 3,
        errors: 0,
        statuses: { "4xx": 3 },
      });
    },
  },
  {
    name: "counts status classes, and server errors as errors",
    requests: [
      ["POST", "/api/education/progress"],
      ["GET", "/boom"],
    ],
    check({ monitor, responses }) {
      expect(responses.map((r) => r.status)).toEqual([201, 500]);
      expect(monitor.getMetrics("POST /api/education/progress")).toMatchObject({
        count: 1,
        total: 1,
        errors: 0,
        statuses: { "2xx": 1, "5xx": 0 },
      });
      expect(monitor.getMetrics("GET /boom")).toMatchObject({ count: 1, errors: 1, statuses: { "5xx": 1 } });
    },
  },
  {
    name: "sets X-Response-Time in milliseconds, as the original did, before the head is sent",
    requests: [["GET", "/api/education/modules/intro"]],
    check({ responses, monitor }) {
      expect(responses[0]?.headers["x-response-time"]).toBe("8.000ms");
      expect(monitor.getMetrics(MODULE)?.total).toBe(8);
    },
  },
  {
    name: "sends Server-Timing with the total and the timings recorded through the request's handle",
    requests: [["GET", "/api/education/modules/intro"]],
    check({ responses, monitor }) {
      expect(responses[0]?.headers["server-timing"]).toBe("total;dur=8, db;dur=3, cache;dur=0.25");
      expect(monitor.getMetrics("db")).toMatchObject({ count: 1, total: 3 });
      expect(monitor.getMetrics("cache")).toMatchObject({ count: 1, total: 0.25 });
    },
  },
  {
    name: "times the request to its last byte, while the headers carry the time to the head",
    requests: [["GET", "/stream"]],
    check({ harness, responses, monitor }) {
      expect(responses[0]?.body).toBe("ab");
      expect(responses[0]?.headers["x-response-time"]).toBe("0.000ms");
      // The Fetch transport (Hono's app.request) takes the metric when the Response is ready.
      expect(monitor.getMetrics("GET /stream")?.total).toBe(harness.lastByte ? 10 : 0);
    },
  },
  {
    name: "leaves both headers out when they are turned off",
    options: { responseTimeHeader: false, serverTiming: false },
    requests: [["GET", "/api/education/modules/intro"]],
    check({ responses, monitor }) {
      expect(responses[0]?.headers).not.toHaveProperty("x-response-time");
      expect(responses[0]?.headers).not.toHaveProperty("server-timing");
      expect(monitor.getMetrics(MODULE)?.count).toBe(1);
    },
  },
  {
    name: "uses a custom name for the response-time header",
    options: { responseTimeHeader: "Response-Time" },
    requests: [["POST", "/api/education/progress"]],
    check({ responses }) {
      expect(responses[0]?.headers["response-time"]).toBe("1.000ms");
      expect(responses[0]?.headers).not.toHaveProperty("x-response-time");
    },
  },
  {
    name: "tells observers about every finished request",
    observer: "collect",
    requests: [
      ["GET", "/api/education/modules/intro"],
      ["GET", "/missing"],
    ],
    check({ records }) {
      expect(records).toEqual([
        {
          method: "GET",
          route: "/api/education/modules/:slug",
          name: MODULE,
          statusCode: 200,
          durationMs: 8,
          scheme: "http",
          aborted: false,
        },
        {
          method: "GET",
          route: undefined,
          name: "GET (unmatched)",
          statusCode: 404,
          durationMs: 0,
          scheme: "http",
          aborted: false,
        },
      ]);
    },
  },
  {
    name: "keeps serving when an observer throws, and warns once",
    observer: "throw",
    requests: [
      ["GET", "/api/education/modules/a"],
      ["GET", "/api/education/modules/b"],
    ],
    check({ responses, warnings, monitor }) {
      expect(responses.map((r) => r.status)).toEqual([200, 200]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain("observer threw");
      expect(monitor.getMetrics(MODULE)?.count).toBe(2);
    },
  },
  {
    name: "keeps one series for many distinct raw URLs of one route",
    requests: Array.from(
      { length: 40 },
      (_, i) => ["GET", `/api/education/modules/m-${i}-${i * 7919}`] as const,
    ),
    check({ monitor }) {
      expect(Object.keys(monitor.getAllMetrics()).sort()).toEqual([MODULE, "cache", "db"]);
      expect(monitor.getMetrics(MODULE)?.count).toBe(40);
    },
  },
];
