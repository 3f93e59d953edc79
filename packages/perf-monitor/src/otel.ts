import { type Attributes, type Meter, type MeterProvider, metrics, ValueType } from "@opentelemetry/api";
import { describeValue, PerfMonitorError } from "./errors.js";
import type { RequestObserver, RequestRecord } from "./request-record.js";

/**
 * The instrument name the HTTP semantic conventions give server request durations.
 *
 * @example
 * ```ts
 * import { AggregationType, MeterProvider } from "@opentelemetry/sdk-metrics";
 * import { HTTP_SERVER_REQUEST_DURATION } from "@keel/perf-monitor/otel";
 *
 * // Finer percentiles in the backend: an exponential histogram instead of the advised buckets.
 * const provider = new MeterProvider({
 *   views: [{ instrumentName: HTTP_SERVER_REQUEST_DURATION, aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
 * });
 * ```
 */
export const HTTP_SERVER_REQUEST_DURATION = "http.server.request.duration";

/**
 * The bucket bounds, in seconds, the HTTP semantic conventions advise for request durations.
 *
 * @example
 * ```ts
 * import { otelRequestObserver, SEMCONV_DURATION_BUCKETS } from "@keel/perf-monitor/otel";
 * const observer = otelRequestObserver({ buckets: [0.001, 0.0025, ...SEMCONV_DURATION_BUCKETS] });
 * ```
 */
export const SEMCONV_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

const KNOWN_METHODS = new Set([
  "CONNECT",
  "DELETE",
  "GET",
  "HEAD",
  "OPTIONS",
  "PATCH",
  "POST",
  "PUT",
  "TRACE",
]);

/**
 * Options of {@link otelRequestObserver}.
 *
 * @example
 * ```ts
 * import { metrics } from "@opentelemetry/api";
 * import { otelRequestObserver } from "@keel/perf-monitor/otel";
 *
 * const observer = otelRequestObserver({ meter: metrics.getMeter("education-api") });
 * ```
 */
export interface OtelRequestObserverOptions {
  /**
   * The meter to create the histogram on. Takes precedence over `meterProvider`.
   * @default the global meter provider's meter "@keel/perf-monitor"
   */
  readonly meter?: Meter;
  /**
   * A meter provider to get the meter "@keel/perf-monitor" from, when `meter` is not given.
   * @default the global meter provider (`metrics.getMeterProvider()`)
   */
  readonly meterProvider?: MeterProvider;
  /**
   * Explicit bucket bounds advised to the SDK, in seconds (views configured in the SDK win).
   * @default SEMCONV_DURATION_BUCKETS
   */
  readonly buckets?: readonly number[];
}

/**
 * The semantic-convention attributes of one request: `http.request.method` (`_OTHER` for a
 * non-standard method), `http.route` (only when a route matched), `http.response.status_code`,
 * `url.scheme`, and `error.type` (the status code for 5xx, `"aborted"` when the client went away).
 *
 * @example
 * ```ts
 * requestAttributes({ method: "GET", route: "/m/:slug", name: "GET /m/:slug", statusCode: 503,
 *   durationMs: 12, scheme: "https", aborted: false });
 * // { "http.request.method": "GET", "http.route": "/m/:slug", "http.response.status_code": 503,
 * //   "url.scheme": "https", "error.type": "503" }
 * ```
 */
export function requestAttributes(record: RequestRecord): Attributes {
  const attributes: Attributes = {
    "http.request.method": KNOWN_METHODS.has(record.method) ? record.method : "_OTHER",
    "url.scheme": record.scheme,
  };
  if (record.route !== undefined) attributes["http.route"] = record.route;
  if (record.statusCode > 0) attributes["http.response.status_code"] = record.statusCode;
  if (record.aborted) attributes["error.type"] = "aborted";
  else if (record.statusCode >= 500) attributes["error.type"] = String(record.statusCode);
  return attributes;
}

/**
 * A {@link RequestObserver} that records each request into the OpenTelemetry histogram
 * `http.server.request.duration` (unit `s`) with the semantic-convention attributes of
 * {@link requestAttributes}. `@opentelemetry/api` is an optional peer dependency: install it to use
 * this entry point.
 *
 * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_OPTION` for a meter without `createHistogram` or
 * invalid buckets.
 * @example
 * ```ts
 * import express from "express";
 * import { middleware } from "@keel/perf-monitor/express";
 * import { otelRequestObserver } from "@keel/perf-monitor/otel";
 *
 * const app = express();
 * app.use(middleware({ observers: [otelRequestObserver()] }));
 * ```
 */
export function otelRequestObserver(options: OtelRequestObserverOptions = {}): RequestObserver {
  const meter =
    options.meter ?? (options.meterProvider ?? metrics.getMeterProvider()).getMeter("@keel/perf-monitor");
  if (typeof meter?.createHistogram !== "function") {
    throw new PerfMonitorError(
      "ERR_KEEL_PERF_MONITOR_OPTION",
      "meter must be an OpenTelemetry Meter (with createHistogram)",
    );
  }
  const buckets = options.buckets ?? SEMCONV_DURATION_BUCKETS;
  const sorted =
    Array.isArray(buckets) &&
    buckets.every((b, i) => typeof b === "number" && b > 0 && (i === 0 || b > (buckets[i - 1] as number)));
  if (!sorted) {
    throw new PerfMonitorError(
      "ERR_KEEL_PERF_MONITOR_OPTION",
      `buckets must be increasing positive numbers of seconds, got ${describeValue(buckets)}`,
    );
  }
  const histogram = meter.createHistogram(HTTP_SERVER_REQUEST_DURATION, {
    description: "Duration of HTTP server requests.",
    unit: "s",
    valueType: ValueType.DOUBLE,
    advice: { explicitBucketBoundaries: [...buckets] },
  });
  return (record) => histogram.record(record.durationMs / 1000, requestAttributes(record));
}

export type { RequestObserver, RequestRecord } from "./request-record.js";
