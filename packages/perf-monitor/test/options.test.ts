import { describe, expect, it } from "vitest";
import { createMonitor, type MonitorOptions } from "../src/index.js";

describe("createMonitor options", () => {
  it.each<[string, unknown, RegExp]>([
    ["options that are not an object", 5, /options must be an object/],
    ["a clock without now()", { clock: {} }, /clock must have a now\(\) method/],
    ["a logger without warn()", { logger: { log() {} } }, /logger must have a warn/],
    ["maxMetrics of 0", { maxMetrics: 0 }, /maxMetrics must be a positive integer.*got 0/],
    ["a fractional maxMetrics", { maxMetrics: 1.5 }, /maxMetrics/],
    ["a string maxMetrics", { maxMetrics: "10" }, /maxMetrics.*got "10"/],
    ["a window of 0 seconds", { window: 0 }, /window must be a number of seconds/],
    ["a window longer than a day", { window: 86_401 }, /window/],
    ["windowSlices of 0", { windowSlices: 0 }, /windowSlices/],
    ["too many windowSlices", { windowSlices: 601 }, /windowSlices must be a positive integer up to 600/],
    [
      "eventLoopDelay as a string",
      { eventLoopDelay: "yes" },
      /eventLoopDelay must be true, false or \{ resolution \}/,
    ],
    ["eventLoopDelay as null", { eventLoopDelay: null }, /eventLoopDelay/],
    ["a zero eventLoopDelay resolution", { eventLoopDelay: { resolution: 0 } }, /eventLoopDelay.resolution/],
  ])("rejects %s with ERR_KEEL_PERF_MONITOR_OPTION", (_, options, message) => {
    expect(() => createMonitor(options as MonitorOptions)).toThrow(
      expect.objectContaining({
        code: "ERR_KEEL_PERF_MONITOR_OPTION",
        message: expect.stringMatching(message),
      }),
    );
  });

  it("accepts every documented option", () => {
    const perf = createMonitor({
      clock: performance,
      maxMetrics: 10,
      window: 60,
      windowSlices: 12,
      logger: console,
      eventLoopDelay: { resolution: 20 },
    });
    perf.record("x", 1);
    expect(perf.getMetrics("x")?.window?.count).toBe(1);
    perf.close();
  });
});
