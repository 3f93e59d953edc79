import { describe, expect, it } from "vitest";
import { createMonitor } from "../src/index.js";
import { ProcessGauges } from "../src/process-metrics.js";

describe("process gauges", () => {
  it("reads process memory on request, in bytes", () => {
    const perf = createMonitor();
    const { memory, eventLoopDelay } = perf.processMetrics();
    expect(memory.rss).toBeGreaterThan(0);
    expect(memory.heapUsed).toBeGreaterThan(0);
    expect(memory.heapTotal).toBeGreaterThanOrEqual(memory.heapUsed);
    expect(Object.keys(memory).sort()).toEqual(["arrayBuffers", "external", "heapTotal", "heapUsed", "rss"]);
    expect(eventLoopDelay).toBeUndefined();
  });

  it("measures event-loop delay when asked, in milliseconds, until close()", async () => {
    const perf = createMonitor({ eventLoopDelay: { resolution: 1 } });
    const first = perf.processMetrics().eventLoopDelay;
    expect(first).toBeDefined();
    // Let the sampler run a few times; the assertion is on presence and shape, not on a duration.
    for (let i = 0; i < 50 && (perf.processMetrics().eventLoopDelay?.count ?? 0) < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const delay = perf.processMetrics().eventLoopDelay;
    expect(delay?.count).toBeGreaterThanOrEqual(2);
    expect(delay?.max).toBeGreaterThanOrEqual(delay?.min ?? Number.POSITIVE_INFINITY);
    expect(delay?.p99).toBeGreaterThanOrEqual(delay?.p50 ?? Number.POSITIVE_INFINITY);
    perf.reset();
    expect(perf.processMetrics().eventLoopDelay).toMatchObject({ count: 0, max: 0 });
    perf.close();
    perf.close();
  });

  it("reports zeros before the first delay sample", () => {
    const gauges = new ProcessGauges(60_000);
    expect(gauges.read().eventLoopDelay).toEqual({
      count: 0,
      min: 0,
      max: 0,
      mean: 0,
      p50: 0,
      p90: 0,
      p99: 0,
    });
    gauges.close();
  });
});
