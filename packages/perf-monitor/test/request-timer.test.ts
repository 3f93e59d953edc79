import { describe, expect, it } from "vitest";
import { createMonitor, createRequestTimer, type MiddlewareOptions, type RequestPerf } from "../src/index.js";
import { MAX_SERVER_TIMINGS } from "../src/request-perf.js";
import { formatServerTiming, serverTimingName } from "../src/server-timing.js";
import { fakeClock, memoryLogger } from "./support/clock.js";

describe("createRequestTimer", () => {
  it("times a request from begin() to finish() and names it by method and route", () => {
    const clock = fakeClock(0);
    const monitor = createMonitor({ clock });
    const timer = createRequestTimer({ monitor });
    const perf = timer.begin();
    clock.advance(2.5);
    expect(timer.headers(perf)).toEqual({ "X-Response-Time": "2.500ms", "Server-Timing": "total;dur=2.5" });
    clock.advance(1);
    timer.finish(perf, { method: "get", route: "/a/:b", statusCode: 204 });
    expect(monitor.getMetrics("GET /a/:b")).toMatchObject({ count: 1, total: 3.5, statuses: { "2xx": 1 } });
  });

  it("counts an aborted request as an error", () => {
    const monitor = createMonitor();
    const timer = createRequestTimer({ monitor });
    timer.finish(timer.begin(), { method: "GET", route: undefined, statusCode: 200, aborted: true });
    expect(monitor.getMetrics("GET (unmatched)")).toMatchObject({ errors: 1, statuses: { "2xx": 1 } });
  });

  it("reports https requests with their scheme", () => {
    const records: unknown[] = [];
    const timer = createRequestTimer({ monitor: createMonitor(), observers: [(r) => void records.push(r)] });
    timer.finish(timer.begin(), { method: "GET", route: "/", statusCode: 200, scheme: "https" });
    expect(records).toEqual([expect.objectContaining({ scheme: "https", aborted: false })]);
  });

  it("keeps the first 32 named timings for Server-Timing and records every one in the monitor", () => {
    const monitor = createMonitor({ clock: fakeClock(0) });
    const timer = createRequestTimer({ monitor });
    const perf = timer.begin();
    for (let i = 0; i < MAX_SERVER_TIMINGS + 5; i++) perf.record("step", 1);
    const header = timer.headers(perf)["Server-Timing"] ?? "";
    expect(header.split(", ")).toHaveLength(1 + MAX_SERVER_TIMINGS);
    expect(monitor.getMetrics("step")?.count).toBe(MAX_SERVER_TIMINGS + 5);
  });

  it("records a named timing once when its end() is called twice", () => {
    const clock = fakeClock(0);
    const monitor = createMonitor({ clock });
    const perf = createRequestTimer({ monitor }).begin();
    const end = perf.start("db");
    clock.advance(4);
    expect(end()).toBe(4);
    clock.advance(4);
    expect(end()).toBe(4);
    expect(monitor.getMetrics("db")?.count).toBe(1);
    expect(perf.elapsed()).toBe(8);
  });

  it("rejects empty timing names and invalid durations", () => {
    const perf = createRequestTimer({ monitor: createMonitor() }).begin();
    expect(() => perf.start("")).toThrow(expect.objectContaining({ code: "ERR_KEEL_PERF_MONITOR_NAME" }));
    expect(() => perf.record("db", -1)).toThrow(
      expect.objectContaining({ code: "ERR_KEEL_PERF_MONITOR_VALUE" }),
    );
  });

  it("refuses a handle it did not make", () => {
    const timer = createRequestTimer({ monitor: createMonitor() });
    const foreign: RequestPerf = { start: () => () => 0, record: () => undefined, elapsed: () => 0 };
    expect(() => timer.headers(foreign)).toThrow(
      expect.objectContaining({ code: "ERR_KEEL_PERF_MONITOR_OPTION" }),
    );
  });

  it("records into the default monitor when given none", () => {
    const timer = createRequestTimer();
    expect(() => timer.finish(timer.begin(), { method: "GET", route: "/x", statusCode: 200 })).not.toThrow();
  });

  it("warns once through the logger when observers keep throwing", () => {
    const logger = memoryLogger();
    const seen: number[] = [];
    const timer = createRequestTimer({
      monitor: createMonitor(),
      logger,
      observers: [
        () => {
          throw new Error("bad observer");
        },
        (r) => void seen.push(r.statusCode),
      ],
    });
    for (let i = 0; i < 3; i++) timer.finish(timer.begin(), { method: "GET", route: "/", statusCode: 200 });
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain("bad observer");
    expect(seen).toEqual([200, 200, 200]);
  });

  it.each<[string, unknown]>([
    ["non-object options", "x"],
    ["a monitor that is not one", { monitor: {} }],
    ["a header name with a space", { responseTimeHeader: "Response Time" }],
    ["a numeric header name", { responseTimeHeader: 5 }],
    ["a non-boolean serverTiming", { serverTiming: "yes" }],
    ["observers that are not functions", { observers: [1] }],
    ["observers that are not an array", { observers: () => undefined }],
    ["a logger without warn", { logger: {} }],
  ])("rejects %s with ERR_KEEL_PERF_MONITOR_OPTION", (_, options) => {
    expect(() => createRequestTimer(options as MiddlewareOptions)).toThrow(
      expect.objectContaining({ code: "ERR_KEEL_PERF_MONITOR_OPTION" }),
    );
  });
});

describe("Server-Timing formatting", () => {
  it("turns names into tokens and keeps at most three decimals", () => {
    expect(serverTimingName("db query (users)")).toBe("db_query__users_");
    expect(serverTimingName("")).toBe("_");
    expect(formatServerTiming(12.34567, ["db.read"], [0.0004])).toBe("total;dur=12.346, db.read;dur=0");
  });
});
