import { describe, expect, it } from "vitest";
import { createMonitor, monitor, OVERFLOW_METRIC, PerfMonitorError } from "../src/index.js";
import { fakeClock, memoryLogger } from "./support/clock.js";

describe("createMonitor timing", () => {
  it("start() returns end(), which records and returns the elapsed milliseconds", () => {
    const clock = fakeClock();
    const perf = createMonitor({ clock });
    const end = perf.start("render");
    clock.advance(12.5);
    expect(end()).toBe(12.5);
    expect(perf.getMetrics("render")).toMatchObject({
      count: 1,
      total: 12.5,
      min: 12.5,
      max: 12.5,
      avg: 12.5,
    });
  });

  it("records once when end() is called twice, and returns the same figure", () => {
    const clock = fakeClock();
    const perf = createMonitor({ clock });
    const end = perf.start("op");
    clock.advance(3);
    end();
    clock.advance(100);
    expect(end()).toBe(3);
    expect(perf.getMetrics("op")?.count).toBe(1);
  });

  it("reports count, total, min, max, avg, percentiles and errors from getMetrics()", () => {
    const perf = createMonitor({ clock: fakeClock() });
    for (let ms = 1; ms <= 100; ms++) perf.record("db.query", ms);
    const m = perf.getMetrics("db.query");
    expect(Object.keys(m ?? {}).sort()).toEqual(
      ["avg", "count", "errors", "max", "min", "p50", "p90", "p95", "p99", "total"].sort(),
    );
    expect(m).toMatchObject({ count: 100, total: 5050, min: 1, max: 100, avg: 50.5, errors: 0 });
    for (const [key, exact] of [
      ["p50", 50],
      ["p90", 90],
      ["p95", 95],
      ["p99", 99],
    ] as const) {
      expect(Math.abs((m?.[key] ?? 0) - exact) / exact).toBeLessThanOrEqual(0.01);
    }
  });

  it("returns undefined for a name never recorded", () => {
    expect(createMonitor().getMetrics("nothing")).toBeUndefined();
  });

  it("times a synchronous function and returns its result", () => {
    const clock = fakeClock();
    const perf = createMonitor({ clock });
    const result = perf.time("sum", () => {
      clock.advance(4);
      return 42;
    });
    expect(result).toBe(42);
    expect(perf.getMetrics("sum")).toMatchObject({ count: 1, total: 4, errors: 0 });
  });

  it("records a synchronous function that throws, counts an error and rethrows", () => {
    const clock = fakeClock();
    const perf = createMonitor({ clock });
    const boom = new Error("boom");
    expect(() =>
      perf.time("fails", () => {
        clock.advance(2);
        throw boom;
      }),
    ).toThrow(boom);
    expect(perf.getMetrics("fails")).toMatchObject({ count: 1, total: 2, errors: 1 });
  });

  it("times an async function until its promise settles", async () => {
    const clock = fakeClock();
    const perf = createMonitor({ clock });
    const pending = perf.time("fetch", async () => {
      await Promise.resolve();
      clock.advance(7);
      return "ok";
    });
    expect(perf.getMetrics("fetch")).toBeUndefined();
    await expect(pending).resolves.toBe("ok");
    expect(perf.getMetrics("fetch")).toMatchObject({ count: 1, total: 7, errors: 0 });
  });

  it("records a rejected promise, counts an error and passes the rejection on", async () => {
    const clock = fakeClock();
    const perf = createMonitor({ clock });
    const pending = perf.time("fetch", async () => {
      clock.advance(9);
      throw new TypeError("nope");
    });
    await expect(pending).rejects.toThrow(TypeError);
    expect(perf.getMetrics("fetch")).toMatchObject({ count: 1, total: 9, errors: 1 });
  });

  it("lists every series with samples in getAllMetrics(), including awkward names", () => {
    const perf = createMonitor();
    perf.record("a", 1);
    perf.record("__proto__", 2);
    perf.metric("never-recorded");
    const all = perf.getAllMetrics();
    expect(Object.keys(all).sort()).toEqual(["__proto__", "a"]);
    expect(Object.getOwnPropertyDescriptor(all, "__proto__")?.value.count).toBe(1);
  });

  it("exports a ready default monitor", () => {
    monitor.record("default-monitor-test", 1);
    expect(monitor.getMetrics("default-monitor-test")?.count).toBe(1);
    monitor.reset();
  });
});

describe("metric handles", () => {
  it("record into their metric without a name lookup", () => {
    const perf = createMonitor();
    const h = perf.metric("hot");
    h.record(1);
    h.record(3);
    expect(h.name).toBe("hot");
    expect(perf.getMetrics("hot")).toMatchObject({ count: 2, total: 4 });
  });

  it("count errors, status classes and timings", async () => {
    const clock = fakeClock();
    const perf = createMonitor({ clock });
    const h = perf.metric("GET /x");
    h.recordError(5);
    for (const status of [200, 204, 301, 404, 503, 101, 99, 700]) h.countStatus(status);
    const end = h.start();
    clock.advance(2);
    end();
    h.time(() => clock.advance(1));
    await h.time(async () => clock.advance(1));
    expect(perf.getMetrics("GET /x")).toMatchObject({
      count: 4,
      errors: 1,
      statuses: { "1xx": 1, "2xx": 2, "3xx": 1, "4xx": 1, "5xx": 1 },
    });
  });

  it("keep working after reset(), starting over", () => {
    const perf = createMonitor();
    const h = perf.metric("kept");
    h.record(10);
    perf.reset();
    expect(perf.getMetrics("kept")).toBeUndefined();
    h.record(1);
    expect(perf.getMetrics("kept")).toMatchObject({ count: 1, total: 1 });
    expect(perf.size).toBe(1);
  });
});

describe("reset()", () => {
  it("forgets every metric", () => {
    const perf = createMonitor();
    perf.record("a", 1);
    perf.record("b", 1);
    perf.reset();
    expect(perf.getAllMetrics()).toEqual({});
    expect(perf.size).toBe(0);
  });

  it("records into the current metric when a timer started before the reset ends after it", () => {
    const clock = fakeClock();
    const perf = createMonitor({ clock });
    const end = perf.start("span");
    perf.reset();
    clock.advance(5);
    end();
    expect(perf.getMetrics("span")).toMatchObject({ count: 1, total: 5 });
  });
});

describe("the name cap", () => {
  it("sends new names past maxMetrics to one overflow series and warns once", () => {
    const logger = memoryLogger();
    const perf = createMonitor({ maxMetrics: 3, logger });
    for (let i = 0; i < 10; i++) perf.record(`name-${i}`, 1);
    perf.record("name-0", 1);
    expect(perf.size).toBe(4);
    expect(Object.keys(perf.getAllMetrics())).toEqual(["name-0", "name-1", "name-2", OVERFLOW_METRIC]);
    expect(perf.getMetrics(OVERFLOW_METRIC)?.count).toBe(7);
    expect(perf.getMetrics("name-0")?.count).toBe(2);
    expect(perf.getMetrics("name-5")).toBeUndefined();
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain("maxMetrics");
    expect(logger.warnings[0]).toContain('"name-3"');
  });

  it("gives handles resolved past the cap the overflow series", () => {
    const perf = createMonitor({ maxMetrics: 1, logger: memoryLogger() });
    perf.record("first", 1);
    perf.metric("second").record(2);
    expect(perf.getMetrics(OVERFLOW_METRIC)?.count).toBe(1);
  });

  it("treats a sample recorded under the overflow name as overflow", () => {
    const perf = createMonitor({ maxMetrics: 1, logger: memoryLogger() });
    perf.record(OVERFLOW_METRIC, 1);
    perf.record("first", 1);
    expect(perf.size).toBe(2);
  });
});

describe("validation", () => {
  it.each([
    ["an empty name", ""],
    ["a non-string name", 42],
  ])("rejects %s with ERR_KEEL_PERF_MONITOR_NAME, eagerly in start() and time()", (_, name) => {
    const perf = createMonitor();
    const code = { code: "ERR_KEEL_PERF_MONITOR_NAME" };
    expect(() => perf.record(name as string, 1)).toThrow(expect.objectContaining(code));
    expect(() => perf.start(name as string)).toThrow(expect.objectContaining(code));
    let ran = false;
    expect(() =>
      perf.time(name as string, () => {
        ran = true;
      }),
    ).toThrow(expect.objectContaining(code));
    expect(ran).toBe(false);
  });

  it("rejects a negative sample with a PerfMonitorError that says how to fix it", () => {
    const perf = createMonitor();
    const error = (() => {
      try {
        perf.record("x", -1);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PerfMonitorError);
    expect(error).toMatchObject({ code: "ERR_KEEL_PERF_MONITOR_VALUE", name: "PerfMonitorError" });
    expect((error as Error).message).toMatch(/finite number of milliseconds, 0 or more, got -1/);
  });

  it("clamps a duration from a clock that stepped back to 0", () => {
    let now = 100;
    const perf = createMonitor({ clock: { now: () => now } });
    const end = perf.start("odd");
    now = 50;
    expect(end()).toBe(0);
  });
});
