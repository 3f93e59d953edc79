/**
 * The stable codes a {@link PerfMonitorError} carries. Match on `code`, never on the message.
 *
 * - `ERR_KEEL_PERF_MONITOR_OPTION`: an option given to a factory is invalid (the message names it).
 * - `ERR_KEEL_PERF_MONITOR_NAME`: a metric name is not a non-empty string.
 * - `ERR_KEEL_PERF_MONITOR_VALUE`: a sample is negative, NaN or infinite.
 * - `ERR_KEEL_PERF_MONITOR_QUANTILE`: a quantile outside `[0, 1]` was asked for.
 * - `ERR_KEEL_PERF_MONITOR_SNAPSHOT`: a snapshot is malformed or comes from an incompatible layout.
 *
 * @example
 * ```ts
 * import type { PerfMonitorErrorCode } from "@keel/perf-monitor";
 * const retryable = (code: PerfMonitorErrorCode) => code !== "ERR_KEEL_PERF_MONITOR_SNAPSHOT";
 * ```
 */
export type PerfMonitorErrorCode =
  | "ERR_KEEL_PERF_MONITOR_OPTION"
  | "ERR_KEEL_PERF_MONITOR_NAME"
  | "ERR_KEEL_PERF_MONITOR_VALUE"
  | "ERR_KEEL_PERF_MONITOR_QUANTILE"
  | "ERR_KEEL_PERF_MONITOR_SNAPSHOT";

/**
 * The one error class of `@keel/perf-monitor`: a stable `code`, a message that says what was wrong
 * and how to fix it, and the underlying `cause` when there is one.
 *
 * @example
 * ```ts
 * import { createMonitor, PerfMonitorError } from "@keel/perf-monitor";
 *
 * try {
 *   createMonitor({ maxMetrics: 0 });
 * } catch (error) {
 *   if (error instanceof PerfMonitorError && error.code === "ERR_KEEL_PERF_MONITOR_OPTION") {
 *     console.error(error.message); // "maxMetrics must be a positive integer, got 0"
 *   }
 * }
 * ```
 */
export class PerfMonitorError extends Error {
  /** The stable code to match on. */
  readonly code: PerfMonitorErrorCode;

  constructor(code: PerfMonitorErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PerfMonitorError";
    this.code = code;
  }
}

/** Formats a bad value for an error message without throwing on odd inputs. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  if (typeof value === "function") return "a function";
  return Array.isArray(value) ? "an array" : "an object";
}
