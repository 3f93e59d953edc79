/**
 * Memory per latency series: heap plus ArrayBuffer bytes retained by N series, read after 1,000
 * samples per series and again after 1,000,000, divided by N (64 for @keel/perf-monitor, fewer for
 * the slower peers, whose figures are context). The container (a monitor, a
 * prom-client registry and labelled histogram) is created before the first reading and not counted;
 * a first pass over 2 throwaway series pays the one-time costs, so compiled code is not counted
 * either. The JIT still allocates some metadata on the heap during the measured pass (up to about
 * 25 KB in all: ±0.4 KB per series over 64); the ArrayBuffer part (typed-array buckets) is exact
 * and shown apart. Samples cycle
 * through 1,024 latencies from 0.1 ms to 1 s. perf_hooks' histogram is left out: its buckets live
 * in native memory, which this does not see. Issue #5's target: at most 8 KB per series for
 * @keel/perf-monitor, whatever its count.
 */
import { DDSketch } from "@datadog/sketches-js";
import { createMonitor } from "@keel/perf-monitor";
import { build } from "hdr-histogram-js";
import { Histogram, Registry } from "prom-client";
import { arrayBufferBytes, retainedBytes } from "../src/measure/memory.js";
import type { MeasureSuite } from "../src/measure/suite.js";
import { LATENCIES_MS, LATENCIES_US } from "../src/micro/fixtures.js";

const FEW = 1_000;
const MANY = 1_000_000;

/** A kind of series: how to make a container, a series in it, and record one sample (index `i`). */
interface SeriesKind<C, S> {
  /** How many series the measured pass makes: more means less JIT noise per series, and more time. */
  count: number;
  container(): C;
  series(container: C, index: number): S;
  record(series: S, i: number): void;
}

/** Bytes per series over `count` series, after FEW and after MANY samples each. */
function measure<C, S>(kind: SeriesKind<C, S>, count: number) {
  const container = kind.container();
  const before = retainedBytes();
  const buffersBefore = arrayBufferBytes();
  const all = Array.from({ length: count }, (_, index) => kind.series(container, index));
  for (const series of all) for (let i = 0; i < FEW; i++) kind.record(series, i);
  const few = retainedBytes();
  for (const series of all) for (let i = FEW; i < MANY; i++) kind.record(series, i);
  const many = retainedBytes();
  const buffers = (arrayBufferBytes() - buffersBefore) / count;
  // The container and series stay referenced until after the last reading.
  kept.push(container, all);
  return {
    few: (few - before) / count,
    many: (many - before) / count,
    growth: (many - few) / count,
    buffers,
  };
}

const kept: unknown[] = [];

/**
 * Measures twice and reports the second: the first pass (2 series) pays the one-time costs (lazy
 * compilation, optimized code and its metadata, the measuring loop's own) that would otherwise
 * land on the series.
 */
async function perSeries<C, S>(kind: SeriesKind<C, S>) {
  measure(kind, 2);
  kept.length = 0;
  return { values: { series: kind.count, ...measure(kind, kind.count) } };
}

export const suite: MeasureSuite = {
  name: "metric-memory",
  group: "perf-monitor",
  title: "bytes retained per latency series, after 1,000 and 1,000,000 samples each",
  columns: [
    { key: "series", header: "series" },
    { key: "few", header: "B/series @1e3" },
    { key: "many", header: "B/series @1e6" },
    { key: "growth", header: "growth 1e3→1e6" },
    { key: "buffers", header: "of which ArrayBuffer" },
  ],
  timeoutSec: 180,
  cases: [
    {
      name: "prom-client Histogram (default buckets, 1 label)",
      run: () =>
        perSeries({
          count: 8,
          container: () =>
            new Histogram({
              name: "latency_seconds",
              help: "latency",
              labelNames: ["route"],
              registers: [new Registry()],
            }),
          series: (histogram, index) => histogram.labels({ route: `/route/${index}` }),
          record: (child, i) => child.observe(LATENCIES_MS[i & 1023]! / 1000),
        }),
    },
    {
      name: "@keel/perf-monitor metric (handle)",
      run: () =>
        perSeries({
          count: 64,
          container: () => createMonitor(),
          series: (monitor, index) => monitor.metric(`GET /route/${index}`),
          record: (handle, i) => handle.record(LATENCIES_MS[i & 1023]!),
        }),
    },
    {
      name: "hdr-histogram-js (1 µs to 60 s, 3 digits)",
      run: () =>
        perSeries({
          count: 16,
          container: () => undefined,
          series: () =>
            build({
              lowestDiscernibleValue: 1,
              highestTrackableValue: 60_000_000,
              numberOfSignificantValueDigits: 3,
            }),
          record: (histogram, i) => histogram.recordValue(LATENCIES_US[i & 1023]!),
        }),
    },
    {
      name: "DDSketch (1% relative accuracy)",
      run: () =>
        perSeries({
          count: 16,
          container: () => undefined,
          series: () => new DDSketch({ relativeAccuracy: 0.01 }),
          record: (sketch, i) => sketch.accept(LATENCIES_MS[i & 1023]!),
        }),
    },
  ],
};
