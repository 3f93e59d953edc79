import type { LogHistogram } from "./histogram.js";

/**
 * Aggregates of one series, in milliseconds. `count`, `total`, `min`, `max` and `avg` are exact;
 * the percentiles are nearest-rank estimates within 0.722% of the true sample (see
 * {@link HISTOGRAM_LAYOUT}). All zero when there are no samples.
 *
 * @example
 * ```ts
 * const recent = createMonitor({ window: 60 }).getMetrics("db.query")?.window;
 * if (recent && recent.p95 > 250) console.warn("db.query p95 above 250 ms over the last minute");
 * ```
 */
export interface PercentileSummary {
  /** Number of samples. */
  readonly count: number;
  /** Sum of the samples, in milliseconds. */
  readonly total: number;
  /** Smallest sample, in milliseconds. */
  readonly min: number;
  /** Largest sample, in milliseconds. */
  readonly max: number;
  /** `total / count`, in milliseconds. */
  readonly avg: number;
  /** Median, in milliseconds. */
  readonly p50: number;
  /** 90th percentile, in milliseconds. */
  readonly p90: number;
  /** 95th percentile, in milliseconds. */
  readonly p95: number;
  /** 99th percentile, in milliseconds. */
  readonly p99: number;
}

/**
 * Counts of responses by status class, kept by the HTTP middleware.
 *
 * @example
 * ```ts
 * const s = monitor.getMetrics("GET /api/education/modules/:slug")?.statuses;
 * const errorRate = s ? s["5xx"] / (s["1xx"] + s["2xx"] + s["3xx"] + s["4xx"] + s["5xx"]) : 0;
 * ```
 */
export interface StatusClassCounts {
  /** Informational responses (100-199). */
  readonly "1xx": number;
  /** Successful responses (200-299). */
  readonly "2xx": number;
  /** Redirects (300-399). */
  readonly "3xx": number;
  /** Client errors (400-499). */
  readonly "4xx": number;
  /** Server errors (500-599). */
  readonly "5xx": number;
}

/** The status classes, in the order snapshots store them. */
export const STATUS_CLASSES = ["1xx", "2xx", "3xx", "4xx", "5xx"] as const;

/**
 * What `getMetrics(name)` returns: the all-time {@link PercentileSummary} of a metric, its error
 * count, and when they exist its status classes and rolling window.
 *
 * @example
 * ```ts
 * import { monitor } from "@keel/perf-monitor";
 *
 * const m = monitor.getMetrics("GET /api/education/modules/:slug");
 * if (m) console.log(`${m.count} requests, p99 ${m.p99.toFixed(1)} ms, ${m.errors} errors`);
 * ```
 */
export interface MetricSummary extends PercentileSummary {
  /** Samples recorded as failures: `time()` callbacks that threw or rejected, 5xx or aborted requests. */
  readonly errors: number;
  /** Responses by status class; present once the HTTP middleware counted one for this metric. */
  readonly statuses?: StatusClassCounts;
  /** The same aggregates over the rolling window; present when the monitor has a `window`. */
  readonly window?: PercentileSummary;
}

const EMPTY: PercentileSummary = Object.freeze({
  count: 0,
  total: 0,
  min: 0,
  max: 0,
  avg: 0,
  p50: 0,
  p90: 0,
  p95: 0,
  p99: 0,
});

/** The aggregates of a histogram; all zero when it is empty. */
export function summarize(h: LogHistogram): PercentileSummary {
  if (h.count === 0) return EMPTY;
  const [p50, p90, p95, p99] = h.quantiles([0.5, 0.9, 0.95, 0.99]) as [number, number, number, number];
  return {
    count: h.count,
    total: h.total,
    min: h.min,
    max: h.max,
    avg: h.total / h.count,
    p50,
    p90,
    p95,
    p99,
  };
}
