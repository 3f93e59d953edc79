import { describeValue, PerfMonitorError } from "./errors.js";
import { HISTOGRAM_LAYOUT } from "./histogram.js";
import { type MetricHandle, ResolvedMetric } from "./metric-handle.js";
import { type MonitorOptions, resolveMonitorOptions } from "./options.js";
import { ProcessGauges, type ProcessMetrics } from "./process-metrics.js";
import { Registry } from "./registry.js";
import {
  checkMonitorSnapshot,
  type MetricSnapshot,
  type MonitorSnapshot,
  SNAPSHOT_FORMAT,
} from "./snapshot.js";
import type { MetricSummary } from "./summary.js";
import { startTimer, timeCall } from "./timing.js";

/**
 * Times operations and requests by name: exact count, total, min, max and average, percentiles
 * within 0.722% in constant memory (6 KB per name), error counts, optional rolling windows, and
 * snapshots that merge exactly across processes. All durations are milliseconds.
 *
 * @example
 * ```ts
 * import { monitor } from "@keel/perf-monitor";
 *
 * const end = monitor.start("render");
 * renderPage();
 * const ms = end();
 *
 * const rows = await monitor.time("db.query", () => db.query("SELECT 1"));
 * console.log(monitor.getMetrics("db.query")); // { count, total, min, max, avg, p50, p90, p95, p99, errors }
 * ```
 */
export interface Monitor {
  /** The clock durations are measured with (milliseconds). */
  readonly clock: { now(): number };
  /** Number of series, the overflow series included; at most `maxMetrics + 1`. */
  readonly size: number;
  /** Starts a timer for `name`; `end()` records once and returns the elapsed milliseconds. */
  start(name: string): () => number;
  /**
   * Records one sample for `name`, in milliseconds (finite, 0 or more).
   *
   * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_VALUE` for a negative, NaN or infinite value,
   * `ERR_KEEL_PERF_MONITOR_NAME` for an empty or non-string name.
   */
  record(name: string, value: number): void;
  /**
   * Records one HTTP request under `name`: its duration in milliseconds, its status class, and an
   * error when it failed (status 500 or more, or `aborted`). The middleware calls this; use it to
   * time requests of a framework Keel has no adapter for.
   */
  recordRequest(name: string, durationMs: number, statusCode: number, aborted?: boolean): void;
  /** Times an async call until it settles; a rejection is recorded, counted as an error and passed on. */
  time<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Times a synchronous call; a throw is recorded, counted as an error and rethrown. */
  time<T>(name: string, fn: () => T): T;
  /** Resolves `name` once into a handle whose `record()` skips the name lookup: use it on hot paths. */
  metric(name: string): MetricHandle;
  /** The aggregates of `name`, or undefined when nothing was recorded under it. */
  getMetrics(name: string): MetricSummary | undefined;
  /** The aggregates of every series with samples, by name. */
  getAllMetrics(): Record<string, MetricSummary>;
  /** Forgets every metric. Handles stay usable and start over. */
  reset(): void;
  /** Everything recorded, as JSON-safe data for {@link Monitor.merge} in another process. */
  snapshot(): MonitorSnapshot;
  /**
   * Adds a snapshot's samples, exactly; names past `maxMetrics` go to the overflow series.
   *
   * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_SNAPSHOT` when the snapshot is malformed or from
   * an incompatible version; nothing is merged then.
   */
  merge(snapshot: MonitorSnapshot): void;
  /** Process memory now, and event-loop delay when the monitor was created with `eventLoopDelay`. */
  processMetrics(): ProcessMetrics;
  /** Stops the event-loop delay sampler. Recording keeps working; calling it twice is harmless. */
  close(): void;
}

/**
 * Creates a monitor; see {@link MonitorOptions}. Options are validated now.
 *
 * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_OPTION` naming the first invalid option.
 * @example
 * ```ts
 * import { createMonitor } from "@keel/perf-monitor";
 *
 * const perf = createMonitor({ window: 60 }); // also report the last minute
 * const query = perf.metric("db.query");
 * query.record(3.2);
 * perf.getMetrics("db.query")?.window?.p99;
 * perf.close();
 * ```
 */
export function createMonitor(options?: MonitorOptions): Monitor {
  const resolved = resolveMonitorOptions(options);
  const { clock } = resolved;
  const registry = new Registry(resolved);
  const gauges = new ProcessGauges(resolved.eventLoopResolution);

  return {
    clock,
    get size() {
      return registry.size;
    },
    start(name) {
      registry.resolve(name); // validates the name now, not when end() runs
      return startTimer(clock, () => registry.resolve(name));
    },
    record(name, value) {
      registry.resolve(name).record(value);
    },
    recordRequest(name, durationMs, statusCode, aborted = false) {
      if (!Number.isInteger(statusCode)) {
        throw new PerfMonitorError(
          "ERR_KEEL_PERF_MONITOR_VALUE",
          `recordRequest: statusCode must be an integer HTTP status, got ${describeValue(statusCode)}`,
        );
      }
      const metric = registry.resolve(name);
      metric.record(durationMs);
      metric.countStatus(statusCode);
      if (aborted || statusCode >= 500) metric.errors++;
    },
    time<T>(name: string, fn: () => T): T {
      registry.resolve(name);
      return timeCall(clock, () => registry.resolve(name), fn);
    },
    metric: (name) => new ResolvedMetric(registry, clock, name),
    getMetrics: (name) => registry.find(name)?.summary(),
    getAllMetrics() {
      const entries: [string, MetricSummary][] = [];
      for (const metric of registry.all()) {
        const summary = metric.summary();
        if (summary !== undefined) entries.push([metric.name, summary]);
      }
      return Object.fromEntries(entries);
    },
    reset() {
      registry.clear();
      gauges.reset();
    },
    snapshot() {
      const metrics: MetricSnapshot[] = [];
      for (const metric of registry.all()) {
        if (metric.histogram.count === 0) continue;
        const statuses = metric.statuses === undefined ? {} : { statuses: Array.from(metric.statuses) };
        metrics.push({
          name: metric.name,
          errors: metric.errors,
          ...statuses,
          ...metric.histogram.toSnapshot(),
        });
      }
      const { bucketsPerDoubling, bucketCount, lowestMs } = HISTOGRAM_LAYOUT;
      return { format: SNAPSHOT_FORMAT, layout: { bucketsPerDoubling, bucketCount, lowestMs }, metrics };
    },
    merge(snapshot) {
      checkMonitorSnapshot(snapshot);
      for (const { name, errors, statuses, ...histogram } of snapshot.metrics) {
        const metric = registry.resolve(name);
        metric.histogram.mergeSnapshot(histogram);
        metric.errors += errors;
        if (statuses !== undefined) metric.addStatuses(statuses);
      }
    },
    processMetrics: () => gauges.read(),
    close() {
      gauges.close();
    },
  };
}

/**
 * The default monitor, created with default options, as the original exported it. Use
 * {@link createMonitor} for a private one (tests, libraries, different options).
 *
 * @example
 * ```ts
 * import { monitor } from "@keel/perf-monitor";
 *
 * monitor.record("cache.get", 0.04);
 * monitor.getAllMetrics();
 * ```
 */
export const monitor: Monitor = createMonitor();
