import { describe, expect, it } from "vitest";
import { createMonitor, type MonitorSnapshot, OVERFLOW_METRIC, SNAPSHOT_FORMAT } from "../src/index.js";
import { memoryLogger } from "./support/clock.js";
import { seeded } from "./support/distributions.js";

function filled(seed: number, names: readonly string[]) {
  const perf = createMonitor();
  const random = seeded(seed);
  for (let i = 0; i < 2000; i++) perf.record(names[i % names.length] as string, Math.exp(random() * 12 - 4));
  return perf;
}

describe("snapshot() and merge()", () => {
  it("merge exactly: two monitors merged equal one monitor given every sample", () => {
    const a = createMonitor();
    const b = createMonitor();
    const whole = createMonitor();
    const random = seeded(11);
    for (let i = 0; i < 5000; i++) {
      const value = Math.exp(random() * 14 - 5);
      (i % 3 === 0 ? a : b).record("op", value);
      whole.record("op", value);
    }
    a.metric("op").recordError(1);
    whole.metric("op").recordError(1);
    const merged = createMonitor();
    merged.merge(JSON.parse(JSON.stringify(a.snapshot())));
    merged.merge(JSON.parse(JSON.stringify(b.snapshot())));
    const { total: t1, ...got } = merged.snapshot().metrics[0] ?? { total: 0 };
    const { total: t2, ...want } = whole.snapshot().metrics[0] ?? { total: 0 };
    expect(got).toEqual(want);
    expect(Math.abs(t1 - t2)).toBeLessThanOrEqual(1e-9 * t2);
    const { total: _a, avg: _b, ...gotSummary } = merged.getMetrics("op") ?? {};
    const { total: _c, avg: _d, ...wantSummary } = whole.getMetrics("op") ?? {};
    expect(gotSummary).toEqual(wantSummary);
  });

  it("carries errors and status classes across", () => {
    const a = createMonitor();
    const h = a.metric("GET /x");
    h.record(1);
    h.countStatus(200);
    h.countStatus(500);
    const b = createMonitor();
    b.merge(a.snapshot());
    b.merge(a.snapshot());
    expect(b.getMetrics("GET /x")).toMatchObject({ count: 2, statuses: { "2xx": 2, "5xx": 2 } });
  });

  it("describes its format and layout, and leaves out empty series", () => {
    const perf = filled(1, ["a", "b"]);
    perf.metric("empty");
    const s = perf.snapshot();
    expect(s.format).toBe(SNAPSHOT_FORMAT);
    expect(s.layout).toEqual({ bucketsPerDoubling: 48, bucketCount: 1536, lowestMs: 1000 * 2 ** -20 });
    expect(s.metrics.map((m) => m.name)).toEqual(["a", "b"]);
  });

  it("applies the name cap to merged names", () => {
    const perf = createMonitor({ maxMetrics: 2, logger: memoryLogger() });
    perf.merge(filled(2, ["a", "b", "c", "d"]).snapshot());
    expect(perf.size).toBe(3);
    expect(perf.getMetrics(OVERFLOW_METRIC)?.count).toBe(1000);
  });

  const valid = () => filled(3, ["a"]).snapshot();
  const metric0 = (s: MonitorSnapshot) => s.metrics[0] as object;
  it.each<[string, (s: MonitorSnapshot) => unknown]>([
    ["a non-object", () => "nope"],
    ["another format", (s) => ({ ...s, format: "other/1" })],
    ["another layout", (s) => ({ ...s, layout: { ...s.layout, bucketsPerDoubling: 32 } })],
    ["no metrics array", (s) => ({ ...s, metrics: {} })],
    ["a metric without a name", (s) => ({ ...s, metrics: [{ ...metric0(s), name: "" }] })],
    ["negative errors", (s) => ({ ...s, metrics: [{ ...metric0(s), errors: -1 }] })],
    ["four status classes", (s) => ({ ...s, metrics: [{ ...metric0(s), statuses: [1, 2, 3, 4] }] })],
    ["a broken histogram", (s) => ({ ...s, metrics: [{ ...metric0(s), count: 1 }] })],
  ])("rejects %s with ERR_KEEL_PERF_MONITOR_SNAPSHOT and merges nothing", (_, mutate) => {
    const perf = createMonitor();
    const good = valid();
    const bad = mutate(good);
    // A good metric ahead of the bad one must not be merged either.
    const withGoodFirst =
      typeof bad === "object" && bad !== null && Array.isArray((bad as MonitorSnapshot).metrics)
        ? {
            ...(bad as MonitorSnapshot),
            metrics: [{ ...metric0(good), name: "good" }, ...(bad as MonitorSnapshot).metrics],
          }
        : bad;
    expect(() => perf.merge(withGoodFirst as MonitorSnapshot)).toThrow(
      expect.objectContaining({
        code: "ERR_KEEL_PERF_MONITOR_SNAPSHOT",
        message: expect.stringContaining("monitor.snapshot()"),
      }),
    );
    expect(perf.size).toBe(0);
  });
});
