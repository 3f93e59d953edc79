import { describeValue, PerfMonitorError } from "./errors.js";
import type { Monitor } from "./monitor.js";
import type { MonitorSnapshot } from "./snapshot.js";

/**
 * Options of {@link toPrometheus} and {@link metricsHandler}, validated when they are called.
 *
 * @example
 * ```ts
 * import { toPrometheus } from "@keel/perf-monitor";
 *
 * const text = toPrometheus({ prefix: "education", labels: { service: "api" }, bucketsPerDoubling: 2 });
 * ```
 */
export interface PrometheusOptions {
  /**
   * What to export: a monitor, or a snapshot (say, merged from cluster workers).
   * @default the default `monitor`
   */
  readonly source?: Monitor | MonitorSnapshot;
  /**
   * Prefix of every metric family name; characters Prometheus does not allow become `_`.
   * @default "keel"
   */
  readonly prefix?: string;
  /**
   * `"histogram"` (the default) emits `le` buckets that Prometheus can sum across instances and turn
   * into percentiles with `histogram_quantile`; `"summary"` emits this process's own p50/p90/p95/p99,
   * accurate to 0.722%, which Prometheus cannot aggregate across instances.
   * @default "histogram"
   */
  readonly type?: "histogram" | "summary";
  /**
   * Histogram buckets per doubling of duration: bucket bounds are `2^(k / bucketsPerDoubling)`
   * seconds. They coincide with the monitor's own bucket bounds, so every `le` count is exact; the
   * error left is `histogram_quantile`'s interpolation inside one bucket. 4 means bounds 19% apart;
   * use 2 to halve the series count, 8 for finer percentiles. One of 1, 2, 3, 4, 6, 8, 12, 16, 24, 48.
   * @default 4
   */
  readonly bucketsPerDoubling?: number;
  /**
   * Lowest histogram bound, in seconds, rounded down to a bucket bound; at least 2^-20.
   * @default 2^-10 (0.0009765625 s, about 1 ms)
   */
  readonly minSeconds?: number;
  /**
   * Highest finite histogram bound, in seconds, rounded up to a bucket bound; at most 2^12.
   * @default 64
   */
  readonly maxSeconds?: number;
  /**
   * Labels added to every sample, such as `{ service: "api" }`. Names must match
   * `[a-zA-Z_][a-zA-Z0-9_]*`, not start with `__`, and not be `name`, `le`, `quantile`,
   * `status_class` or `type`.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Include process memory and, when the monitor measures it, event-loop delay. Ignored for a
   * snapshot source.
   * @default true
   */
  readonly process?: boolean;
}

/** Options after defaults and validation. */
export interface ResolvedPrometheusOptions {
  readonly prefix: string;
  readonly type: "histogram" | "summary";
  readonly bucketsPerDoubling: number;
  readonly firstBound: number;
  readonly lastBound: number;
  readonly labels: string;
  readonly process: boolean;
}

const DIVISORS_OF_48 = [1, 2, 3, 4, 6, 8, 12, 16, 24, 48];
const RESERVED_LABELS = new Set(["name", "le", "quantile", "status_class", "type"]);

function optionError(message: string): PerfMonitorError {
  return new PerfMonitorError("ERR_KEEL_PERF_MONITOR_OPTION", message);
}

/** A valid metric name: invalid characters become `_`, a leading digit gets a `_` before it. */
export function sanitizeMetricName(name: string): string {
  const clean = name.replace(/[^a-zA-Z0-9_:]/g, "_");
  return /^[0-9]/.test(clean) ? `_${clean}` : clean;
}

/** Escapes a label value: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function seconds(name: string, value: unknown): number {
  if (!(typeof value === "number" && value >= 2 ** -20 && value <= 2 ** 12)) {
    throw optionError(`${name} must be a number of seconds from 2^-20 to 4096, got ${describeValue(value)}`);
  }
  return value;
}

/** Applies defaults and throws a {@link PerfMonitorError} naming the first invalid option. */
export function resolvePrometheusOptions(options: PrometheusOptions = {}): ResolvedPrometheusOptions {
  if (typeof options !== "object" || options === null) {
    throw optionError(`Prometheus options must be an object, got ${describeValue(options)}`);
  }
  const {
    prefix = "keel",
    type = "histogram",
    bucketsPerDoubling = 4,
    labels = {},
    process = true,
  } = options;
  if (typeof prefix !== "string" || prefix.length === 0) {
    throw optionError(`prefix must be a non-empty string, got ${describeValue(prefix)}`);
  }
  if (type !== "histogram" && type !== "summary") {
    throw optionError(`type must be "histogram" or "summary", got ${describeValue(type)}`);
  }
  if (!DIVISORS_OF_48.includes(bucketsPerDoubling)) {
    throw optionError(
      `bucketsPerDoubling must be one of ${DIVISORS_OF_48.join(", ")} (so bounds match the monitor's), got ${describeValue(bucketsPerDoubling)}`,
    );
  }
  const min = seconds("minSeconds", options.minSeconds ?? 2 ** -10);
  const max = seconds("maxSeconds", options.maxSeconds ?? 64);
  if (min > max) throw optionError(`minSeconds (${min}) must not exceed maxSeconds (${max})`);
  if (typeof labels !== "object" || labels === null) {
    throw optionError(`labels must be an object of strings, got ${describeValue(labels)}`);
  }
  const pairs = Object.entries(labels).map(([name, value]) => {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(name) || name.startsWith("__") || RESERVED_LABELS.has(name)) {
      throw optionError(
        `label name ${describeValue(name)} is invalid or reserved: use [a-zA-Z_][a-zA-Z0-9_]*, not __*, name, le, quantile, status_class or type`,
      );
    }
    if (typeof value !== "string") {
      throw optionError(`label ${name} must have a string value, got ${describeValue(value)}`);
    }
    return `${name}="${escapeLabelValue(value)}"`;
  });
  if (typeof process !== "boolean")
    throw optionError(`process must be a boolean, got ${describeValue(process)}`);
  // A small tolerance so that 0.001 or 64 given as decimals land on the bound they name.
  const b = bucketsPerDoubling;
  return {
    prefix: sanitizeMetricName(prefix),
    type,
    bucketsPerDoubling: b,
    firstBound: Math.floor(Math.log2(min) * b + 1e-9),
    lastBound: Math.ceil(Math.log2(max) * b - 1e-9),
    labels: pairs.join(","),
    process,
  };
}
