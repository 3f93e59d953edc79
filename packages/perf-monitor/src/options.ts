import { describeValue, PerfMonitorError } from "./errors.js";

/**
 * A monotonic clock in milliseconds. `performance` is one; tests pass a fake.
 *
 * @example
 * ```ts
 * let now = 0;
 * const clock: Clock = { now: () => now };
 * const perf = createMonitor({ clock });
 * const end = perf.start("op");
 * now += 5;
 * end(); // 5
 * ```
 */
export interface Clock {
  /** Milliseconds from an arbitrary origin; must never go backwards. */
  now(): number;
}

/**
 * Where the monitor reports its one-time warnings. `console` is one.
 *
 * @example
 * ```ts
 * import pino from "pino";
 * const log = pino();
 * const perf = createMonitor({ logger: { warn: (message) => log.warn(message) } });
 * ```
 */
export interface MonitorLogger {
  /** Called with a complete, human-readable message. */
  warn(message: string): void;
}

/**
 * Options of {@link createMonitor}. Every option is validated when the monitor is created.
 *
 * @example
 * ```ts
 * import { createMonitor } from "@keel/perf-monitor";
 *
 * const monitor = createMonitor({ maxMetrics: 500, window: 60, eventLoopDelay: true });
 * ```
 */
export interface MonitorOptions {
  /**
   * The clock durations are measured with, in milliseconds. Never `Date.now()`: wall clocks jump.
   * @default performance
   */
  readonly clock?: Clock;
  /**
   * Most distinct metric names kept. Past it, samples for new names go to the one
   * {@link OVERFLOW_METRIC} series and a single warning is logged: memory stays bounded even when
   * names are built from unbounded input. Existing names keep recording.
   * @default 1000
   */
  readonly maxMetrics?: number;
  /**
   * Length of an optional rolling window, in seconds, reported beside the all-time figures as
   * `window` in {@link MetricSummary}. Off when undefined. A window costs one clock read per
   * `record()` (none extra for `start()`/`time()`) and `windowSlices` more histograms per metric
   * (6 KB each); slices rotate lazily when recording or reading, with no timer.
   * @default undefined (no window)
   */
  readonly window?: number;
  /**
   * Number of slices the rolling window is kept in. A reading covers between
   * `window * (1 - 1 / windowSlices)` and `window` seconds of the most recent samples.
   * @default 6
   */
  readonly windowSlices?: number;
  /**
   * Receives the monitor's warnings (today only: "too many metric names").
   * @default console
   */
  readonly logger?: MonitorLogger;
  /**
   * Measure event-loop delay with `perf_hooks.monitorEventLoopDelay`, reported by
   * `processMetrics()` and the Prometheus export. `true` samples every 10 ms; pass
   * `{ resolution }` (milliseconds) to change it. Stopped by `close()`.
   * @default false
   */
  readonly eventLoopDelay?: boolean | { readonly resolution?: number };
}

/** Options after defaults and validation. */
export interface ResolvedMonitorOptions {
  readonly clock: Clock;
  readonly maxMetrics: number;
  readonly windowMs: number | undefined;
  readonly windowSlices: number;
  readonly logger: MonitorLogger;
  readonly eventLoopResolution: number | undefined;
}

function optionError(message: string): PerfMonitorError {
  return new PerfMonitorError("ERR_KEEL_PERF_MONITOR_OPTION", message);
}

function positiveInteger(name: string, value: unknown, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > max) {
    throw optionError(`${name} must be a positive integer up to ${max}, got ${describeValue(value)}`);
  }
  return value as number;
}

/** Applies defaults and throws a {@link PerfMonitorError} naming the first invalid option. */
export function resolveMonitorOptions(options: MonitorOptions = {}): ResolvedMonitorOptions {
  if (typeof options !== "object" || options === null) {
    throw optionError(`createMonitor options must be an object, got ${describeValue(options)}`);
  }
  const { clock = performance, logger = console, window, eventLoopDelay = false } = options;
  if (typeof clock?.now !== "function") {
    throw optionError("clock must have a now() method returning milliseconds, such as performance");
  }
  if (typeof logger?.warn !== "function") throw optionError("logger must have a warn(message) method");
  const maxMetrics = positiveInteger("maxMetrics", options.maxMetrics ?? 1000);
  const windowSlices = positiveInteger("windowSlices", options.windowSlices ?? 6, 600);
  if (window !== undefined && !(typeof window === "number" && window > 0 && window <= 86_400)) {
    throw optionError(
      `window must be a number of seconds above 0 and up to 86400, got ${describeValue(window)}`,
    );
  }
  if (window !== undefined && (window * 1000) / windowSlices < 1) {
    throw optionError(
      `window of ${window} s is too short for ${windowSlices} slices: each slice must last at least 1 ms (use window >= ${windowSlices / 1000})`,
    );
  }
  return {
    clock,
    maxMetrics,
    windowMs: window === undefined ? undefined : window * 1000,
    windowSlices,
    logger,
    eventLoopResolution: resolveEventLoop(eventLoopDelay),
  };
}

function resolveEventLoop(option: MonitorOptions["eventLoopDelay"]): number | undefined {
  if (option === false) return undefined;
  if (option === true) return 10;
  if (typeof option !== "object" || option === null) {
    throw optionError(`eventLoopDelay must be true, false or { resolution }, got ${describeValue(option)}`);
  }
  return positiveInteger("eventLoopDelay.resolution (milliseconds)", option.resolution ?? 10, 60_000);
}
