/**
 * One finished HTTP request, as the middleware hands it to {@link RequestObserver}s (such as the
 * OpenTelemetry bridge from `@keel/perf-monitor/otel`).
 *
 * @example
 * ```ts
 * import type { RequestRecord } from "@keel/perf-monitor";
 * const line = (r: RequestRecord) => `${r.name} ${r.statusCode} ${r.durationMs.toFixed(1)}ms`;
 * ```
 */
export interface RequestRecord {
  /** The request method, upper case (`"GET"`). */
  readonly method: string;
  /** The matched route template (`"/api/education/modules/:slug"`); undefined when no route matched. */
  readonly route: string | undefined;
  /** The metric the request was recorded under (`"GET /api/education/modules/:slug"`). */
  readonly name: string;
  /** The response status; for an aborted request, the status set when the connection closed. */
  readonly statusCode: number;
  /** Milliseconds from the request's arrival to its last byte (or to the abort). */
  readonly durationMs: number;
  /** `"https"` when the connection is TLS, else `"http"` (forwarding headers are not trusted here). */
  readonly scheme: "http" | "https";
  /** True when the client went away before the response finished. */
  readonly aborted: boolean;
}

/**
 * Receives every finished request; pass observers to the middleware's `observers` option. Called
 * synchronously when the response finishes: keep it cheap. An observer that throws is reported to
 * the monitor's logger once and never breaks the response.
 *
 * @example
 * ```ts
 * import type { RequestObserver } from "@keel/perf-monitor";
 *
 * const slow: RequestObserver = (r) => {
 *   if (r.durationMs > 1000) console.warn(`slow: ${r.name} took ${r.durationMs} ms`);
 * };
 * ```
 */
export type RequestObserver = (record: RequestRecord) => void;
