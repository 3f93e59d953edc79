import { HISTOGRAM_LAYOUT, LogHistogram } from "./histogram.js";
import { monitor as defaultMonitor, type Monitor } from "./monitor.js";
import type { ProcessMetrics } from "./process-metrics.js";
import {
  escapeLabelValue,
  type PrometheusOptions,
  type ResolvedPrometheusOptions,
  resolvePrometheusOptions,
} from "./prometheus-options.js";
import type { MetricSnapshot, MonitorSnapshot } from "./snapshot.js";
import { STATUS_CLASSES } from "./summary.js";

/**
 * The `Content-Type` of Prometheus text exposition format 0.0.4.
 *
 * @example
 * ```ts
 * import { PROMETHEUS_CONTENT_TYPE, toPrometheus } from "@keel/perf-monitor";
 * app.get("/metrics", (c) => c.body(toPrometheus(), 200, { "Content-Type": PROMETHEUS_CONTENT_TYPE }));
 * ```
 */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const MS_PER_S = 1000;
const QUANTILES = [0.5, 0.9, 0.95, 0.99];

function isSnapshot(source: Monitor | MonitorSnapshot): source is MonitorSnapshot {
  return "format" in source && "metrics" in source;
}

/** Prometheus's float syntax: `+Inf`, otherwise JavaScript's shortest round-trip form (`1e-7` parses). */
function num(value: number): string {
  return value === Number.POSITIVE_INFINITY ? "+Inf" : String(value);
}

/**
 * Renders a monitor (or a snapshot) in the Prometheus text exposition format 0.0.4, in seconds.
 * Families, with the default prefix `keel`:
 * - `keel_duration_seconds{name}`: a histogram (or summary, see {@link PrometheusOptions.type}) of
 *   every metric; requests timed by the middleware are named `"GET /route/:template"`.
 * - `keel_errors_total{name}` and `keel_responses_total{name,status_class}`: counters.
 * - `keel_process_memory_bytes{type}` and `keel_event_loop_delay_seconds` (a summary), when
 *   {@link PrometheusOptions.process} is on.
 *
 * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_OPTION` naming an invalid option.
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { PROMETHEUS_CONTENT_TYPE, toPrometheus } from "@keel/perf-monitor";
 *
 * createServer((req, res) => {
 *   res.setHeader("Content-Type", PROMETHEUS_CONTENT_TYPE);
 *   res.end(toPrometheus({ labels: { service: "education" } }));
 * }).listen(9464);
 * ```
 */
export function toPrometheus(options?: PrometheusOptions): string {
  const resolved = resolvePrometheusOptions(options);
  const source = options?.source ?? defaultMonitor;
  return render(source, resolved);
}

/** Renders with options already validated (shared with {@link metricsHandler}). */
export function render(source: Monitor | MonitorSnapshot, o: ResolvedPrometheusOptions): string {
  const snapshot = isSnapshot(source) ? source : source.snapshot();
  const out: string[] = [];
  const labels = (extra: string) => {
    const all = [extra, o.labels].filter((s) => s.length > 0).join(",");
    return all.length === 0 ? "" : `{${all}}`;
  };
  const family = (name: string, type: string, help: string) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  };

  const duration = `${o.prefix}_duration_seconds`;
  family(
    duration,
    o.type,
    `Durations recorded by @keel/perf-monitor, in seconds, by metric name (requests: "METHOD /route/template").`,
  );
  for (const metric of snapshot.metrics) {
    const name = `name="${escapeLabelValue(metric.name)}"`;
    if (o.type === "histogram") histogramLines(out, duration, name, metric, o, labels);
    else summaryLines(out, duration, name, metric, labels);
    out.push(`${duration}_sum${labels(name)} ${num(metric.total / MS_PER_S)}`);
    out.push(`${duration}_count${labels(name)} ${num(metric.count)}`);
  }

  const errors = `${o.prefix}_errors_total`;
  family(
    errors,
    "counter",
    "Samples recorded as failures: thrown or rejected time() calls, 5xx or aborted requests.",
  );
  for (const metric of snapshot.metrics) {
    out.push(`${errors}${labels(`name="${escapeLabelValue(metric.name)}"`)} ${num(metric.errors)}`);
  }

  const responses = `${o.prefix}_responses_total`;
  family(responses, "counter", "HTTP responses by metric name and status class.");
  for (const metric of snapshot.metrics) {
    const name = `name="${escapeLabelValue(metric.name)}"`;
    metric.statuses?.forEach((n, i) => {
      out.push(`${responses}${labels(`${name},status_class="${STATUS_CLASSES[i]}"`)} ${num(n)}`);
    });
  }

  if (o.process && !isSnapshot(source)) processLines(out, source.processMetrics(), o.prefix, labels, family);
  return `${out.join("\n")}\n`;
}

function histogramLines(
  out: string[],
  family: string,
  name: string,
  metric: MetricSnapshot,
  o: ResolvedPrometheusOptions,
  labels: (extra: string) => string,
): void {
  const perBound = HISTOGRAM_LAYOUT.bucketsPerDoubling / o.bucketsPerDoubling;
  // Bucket bound k of the monitor is 2^((k + 1) / 48 - 20) s; bound j of the export is 2^(j / b) s.
  // So export bound j covers exactly the monitor's buckets 0 .. (j * 48 / b + 960) - 1.
  const lowestExponent = Math.log2(HISTOGRAM_LAYOUT.lowestMs / MS_PER_S); // -20
  const slotsBelow = (j: number) =>
    Math.round(j * perBound - HISTOGRAM_LAYOUT.bucketsPerDoubling * lowestExponent);
  let cumulative = metric.underflow;
  let slot = 0; // next monitor bucket not yet added
  for (let j = o.firstBound; j <= o.lastBound; j++) {
    const end = Math.min(HISTOGRAM_LAYOUT.bucketCount, slotsBelow(j));
    for (; slot < end; slot++) {
      const index = slot - metric.offset;
      if (index >= 0 && index < metric.counts.length) cumulative += metric.counts[index] as number;
    }
    out.push(
      `${family}_bucket${labels(`${name},le="${num(2 ** (j / o.bucketsPerDoubling))}"`)} ${num(cumulative)}`,
    );
  }
  out.push(`${family}_bucket${labels(`${name},le="+Inf"`)} ${num(metric.count)}`);
}

function summaryLines(
  out: string[],
  family: string,
  name: string,
  metric: MetricSnapshot,
  labels: (extra: string) => string,
): void {
  const h = new LogHistogram();
  h.mergeSnapshot(metric);
  h.quantiles(QUANTILES).forEach((ms, i) => {
    out.push(`${family}${labels(`${name},quantile="${QUANTILES[i]}"`)} ${num(ms / MS_PER_S)}`);
  });
}

function processLines(
  out: string[],
  metrics: ProcessMetrics,
  prefix: string,
  labels: (extra: string) => string,
  family: (name: string, type: string, help: string) => void,
): void {
  const memory = `${prefix}_process_memory_bytes`;
  family(memory, "gauge", "Process memory in bytes, by type, as process.memoryUsage() reports it.");
  for (const [type, bytes] of Object.entries(metrics.memory)) {
    out.push(`${memory}${labels(`type="${type}"`)} ${num(bytes)}`);
  }
  const delay = metrics.eventLoopDelay;
  if (delay === undefined) return;
  const name = `${prefix}_event_loop_delay_seconds`;
  family(name, "summary", "Event-loop delay in seconds, sampled by perf_hooks.monitorEventLoopDelay.");
  for (const [quantile, ms] of [
    ["0.5", delay.p50],
    ["0.9", delay.p90],
    ["0.99", delay.p99],
  ] as const) {
    out.push(`${name}${labels(`quantile="${quantile}"`)} ${num(ms / MS_PER_S)}`);
  }
  out.push(`${name}_sum${labels("")} ${num((delay.mean * delay.count) / MS_PER_S)}`);
  out.push(`${name}_count${labels("")} ${num(delay.count)}`);
}
