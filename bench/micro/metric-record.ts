/**
 * Recording one latency sample into a distribution, synchronous. Baseline: perf_hooks'
 * `createHistogram().record`, the runtime's own HDR histogram. Issue #5's targets: @keel/perf-monitor's
 * `record` on a resolved metric (a handle) at or under the baseline, at least 10x faster than
 * prom-client's `observe`, and no allocation per sample (heap B/op 0).
 */
import { createHistogram } from "node:perf_hooks";
import { DDSketch } from "@datadog/sketches-js";
import { createMonitor } from "@keel/perf-monitor";
import { build } from "hdr-histogram-js";
import { Histogram, Registry } from "prom-client";
import { LATENCIES_MS, LATENCIES_US } from "../src/micro/fixtures.js";
import type { MicroSuite } from "../src/micro/suite.js";

const SECONDS = LATENCIES_MS.map((ms) => ms / 1000);

export const suite: MicroSuite = {
  name: "metric-record",
  group: "perf-monitor",
  title: "record one latency sample",
  baseline: "perf_hooks createHistogram().record",
  cases: [
    {
      name: "perf_hooks createHistogram().record",
      setup: () => {
        const histogram = createHistogram();
        let i = 0;
        return () => histogram.record(LATENCIES_US[i++ & 1023]!);
      },
    },
    {
      name: "@keel/perf-monitor handle.record",
      setup: () => {
        const handle = createMonitor().metric("db.query");
        let i = 0;
        return () => handle.record(LATENCIES_MS[i++ & 1023]!);
      },
    },
    {
      name: "@keel/perf-monitor monitor.record(name, v)",
      setup: () => {
        const monitor = createMonitor();
        let i = 0;
        return () => monitor.record("db.query", LATENCIES_MS[i++ & 1023]!);
      },
    },
    {
      name: "plain count/total/min/max",
      setup: () => {
        const stats = { count: 0, total: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
        let i = 0;
        return () => {
          const value = LATENCIES_MS[i++ & 1023]!;
          stats.count++;
          stats.total += value;
          if (value < stats.min) stats.min = value;
          if (value > stats.max) stats.max = value;
        };
      },
    },
    {
      name: "prom-client Histogram.observe",
      setup: () => {
        const histogram = new Histogram({
          name: "latency_seconds",
          help: "latency",
          registers: [new Registry()],
        });
        let i = 0;
        return () => histogram.observe(SECONDS[i++ & 1023]!);
      },
    },
    {
      name: "prom-client Histogram.observe (3 labels)",
      setup: () => {
        const histogram = new Histogram({
          name: "latency_seconds",
          help: "latency",
          labelNames: ["method", "route", "status_code"],
          registers: [new Registry()],
        });
        const labels = { method: "GET", route: "/courses/:id", status_code: 200 };
        let i = 0;
        return () => histogram.observe(labels, SECONDS[i++ & 1023]!);
      },
    },
    {
      name: "hdr-histogram-js recordValue",
      setup: () => {
        const histogram = build({
          lowestDiscernibleValue: 1,
          highestTrackableValue: 60_000_000,
          numberOfSignificantValueDigits: 3,
        });
        let i = 0;
        return () => histogram.recordValue(LATENCIES_US[i++ & 1023]!);
      },
    },
    {
      name: "DDSketch accept",
      setup: () => {
        const sketch = new DDSketch({ relativeAccuracy: 0.01 });
        let i = 0;
        return () => sketch.accept(LATENCIES_MS[i++ & 1023]!);
      },
    },
  ],
};
