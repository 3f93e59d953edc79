import { describeValue, PerfMonitorError } from "./errors.js";
import { HISTOGRAM_LAYOUT, type HistogramSnapshot, snapshotProblem } from "./histogram.js";
import { STATUS_CLASSES } from "./summary.js";

/**
 * The format tag of a {@link MonitorSnapshot}; bumped when the wire form changes.
 *
 * @example
 * ```ts
 * import { SNAPSHOT_FORMAT } from "@keel/perf-monitor";
 * if (message.perf?.format === SNAPSHOT_FORMAT) monitor.merge(message.perf);
 * ```
 */
export const SNAPSHOT_FORMAT = "keel.perf-monitor.v1";

/**
 * One series in a {@link MonitorSnapshot}: its histogram plus what the monitor counts beside it.
 *
 * @example
 * ```ts
 * for (const series of monitor.snapshot().metrics) console.log(series.name, series.count, series.errors);
 * ```
 */
export interface MetricSnapshot extends HistogramSnapshot {
  /** The metric name. */
  readonly name: string;
  /** Samples recorded as failures. */
  readonly errors: number;
  /** Responses by status class, `[1xx, 2xx, 3xx, 4xx, 5xx]`, when the middleware counted any. */
  readonly statuses?: readonly number[];
}

/**
 * Everything a monitor knows, as plain JSON: send it from cluster workers or other instances and
 * `merge()` it into one monitor, exactly (counts and buckets add, min and max combine). Rolling
 * windows are not part of it: they describe one process's recent past.
 *
 * @example
 * ```ts
 * import cluster from "node:cluster";
 * import { monitor } from "@keel/perf-monitor";
 *
 * // in a worker
 * process.send?.({ perf: monitor.snapshot() });
 * // in the primary
 * cluster.on("message", (_worker, message) => monitor.merge(message.perf));
 * ```
 */
export interface MonitorSnapshot {
  /** Always {@link SNAPSHOT_FORMAT}. */
  readonly format: typeof SNAPSHOT_FORMAT;
  /** The histogram layout; snapshots merge only into monitors with the same one. */
  readonly layout: {
    readonly bucketsPerDoubling: number;
    readonly bucketCount: number;
    readonly lowestMs: number;
  };
  /** Every series with at least one sample. */
  readonly metrics: readonly MetricSnapshot[];
}

function snapshotError(reason: string): PerfMonitorError {
  return new PerfMonitorError(
    "ERR_KEEL_PERF_MONITOR_SNAPSHOT",
    `cannot merge this snapshot: ${reason}; pass the output of monitor.snapshot() from @keel/perf-monitor of the same major version`,
  );
}

/** Validates a whole snapshot before anything is merged, so that a bad one never half-applies. */
export function checkMonitorSnapshot(snapshot: MonitorSnapshot): void {
  if (typeof snapshot !== "object" || snapshot === null) throw snapshotError("it is not an object");
  if (snapshot.format !== SNAPSHOT_FORMAT) {
    throw snapshotError(`its format is ${describeValue(snapshot.format)}, expected "${SNAPSHOT_FORMAT}"`);
  }
  const layout = snapshot.layout;
  if (
    layout?.bucketsPerDoubling !== HISTOGRAM_LAYOUT.bucketsPerDoubling ||
    layout.bucketCount !== HISTOGRAM_LAYOUT.bucketCount ||
    layout.lowestMs !== HISTOGRAM_LAYOUT.lowestMs
  ) {
    throw snapshotError("its histogram layout differs from this version's");
  }
  if (!Array.isArray(snapshot.metrics)) throw snapshotError("metrics must be an array");
  for (const metric of snapshot.metrics) {
    if (typeof metric?.name !== "string" || metric.name.length === 0) {
      throw snapshotError("every metric needs a non-empty string name");
    }
    const where = `metric ${describeValue(metric.name)}`;
    if (!Number.isSafeInteger(metric.errors) || metric.errors < 0) {
      throw snapshotError(`${where}: errors must be a non-negative integer`);
    }
    const statuses = metric.statuses;
    if (
      statuses !== undefined &&
      !(Array.isArray(statuses) && statuses.length === STATUS_CLASSES.length && statuses.every(isCount))
    ) {
      throw snapshotError(`${where}: statuses must be five non-negative integers`);
    }
    const problem = snapshotProblem(metric);
    if (problem !== undefined) throw snapshotError(`${where}: ${problem}`);
  }
}

function isCount(n: unknown): boolean {
  return Number.isSafeInteger(n) && (n as number) >= 0;
}
