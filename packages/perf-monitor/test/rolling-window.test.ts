import { describe, expect, it } from "vitest";
import { createMonitor } from "../src/index.js";
import { RollingWindow } from "../src/rolling-window.js";
import { fakeClock } from "./support/clock.js";

describe("rolling windows", () => {
  it("reports the last window beside the all-time figures", () => {
    const clock = fakeClock(0);
    const perf = createMonitor({ clock, window: 60, windowSlices: 6 });
    perf.record("op", 100);
    clock.advance(30_000);
    perf.record("op", 10);
    clock.advance(40_000); // t = 70 s: the slice of t = 0 is gone, the one of t = 30 s is live
    perf.record("op", 20);
    const m = perf.getMetrics("op");
    expect(m).toMatchObject({ count: 3, max: 100 });
    expect(m?.window).toMatchObject({ count: 2, min: 10, max: 20, total: 30 });
  });

  it("empties once a whole window passes without samples, while all-time figures stay", () => {
    const clock = fakeClock(0);
    const perf = createMonitor({ clock, window: 60 });
    perf.record("op", 5);
    clock.advance(10 * 60_000);
    const m = perf.getMetrics("op");
    expect(m?.count).toBe(1);
    expect(m?.window).toEqual({ count: 0, total: 0, min: 0, max: 0, avg: 0, p50: 0, p90: 0, p95: 0, p99: 0 });
  });

  it("reads the clock once per record() and not again for start()/end()", () => {
    const clock = fakeClock(0);
    const perf = createMonitor({ clock, window: 60 });
    perf.record("op", 1);
    expect(clock.reads).toBe(1);
    const end = perf.start("op");
    end();
    expect(clock.reads).toBe(3);
    expect(perf.getMetrics("op")?.window?.count).toBe(2);
  });

  it("has no window at all unless asked", () => {
    const perf = createMonitor();
    perf.record("op", 1);
    expect(perf.getMetrics("op")).not.toHaveProperty("window");
  });

  it("keeps writing to the newest slice when a clock steps back", () => {
    const w = new RollingWindow(60_000, 6);
    w.record(1, 50_000);
    w.record(2, 10_000);
    expect(w.read(50_000).count).toBe(2);
    expect(w.read(115_000).count).toBe(0);
  });

  it("rotates only the slices that went stale", () => {
    const w = new RollingWindow(60_000, 6);
    for (let t = 0; t < 60_000; t += 10_000) w.record(1, t);
    expect(w.read(59_999).count).toBe(6);
    expect(w.read(60_000).count).toBe(5);
    expect(w.read(85_000).count).toBe(3);
    w.reset();
    expect(w.read(85_000).count).toBe(0);
  });
});
