import { LogHistogram } from "./histogram.js";
import type { Clock } from "./options.js";
import { RollingWindow } from "./rolling-window.js";
import { type MetricSummary, STATUS_CLASSES, type StatusClassCounts, summarize } from "./summary.js";

/** One series: an exact, constant-memory histogram, an error count, optional status classes and window. */
export class Metric {
  readonly name: string;
  readonly histogram = new LogHistogram();
  readonly window: RollingWindow | undefined;
  readonly #clock: Clock;
  errors = 0;
  /** Responses by status class (1xx..5xx), allocated when the first one is counted. */
  statuses: Float64Array | undefined;

  constructor(name: string, clock: Clock, windowMs: number | undefined, windowSlices: number) {
    this.name = name;
    this.#clock = clock;
    this.window = windowMs === undefined ? undefined : new RollingWindow(windowMs, windowSlices);
  }

  /** Records a sample in milliseconds; `now` saves a clock read when the caller has one. */
  record(value: number, now?: number): void {
    this.histogram.record(value);
    if (this.window !== undefined) this.window.record(value, now ?? this.#clock.now());
  }

  countStatus(statusCode: number): void {
    const index = Math.floor(statusCode / 100) - 1;
    if (index < 0 || index > 4) return; // not an HTTP status class; Node itself refuses these
    this.statuses ??= new Float64Array(STATUS_CLASSES.length);
    this.statuses[index] = (this.statuses[index] as number) + 1;
  }

  /** Adds status-class counters, `[1xx, 2xx, 3xx, 4xx, 5xx]`, from a snapshot. */
  addStatuses(counts: readonly number[]): void {
    this.statuses ??= new Float64Array(STATUS_CLASSES.length);
    const statuses = this.statuses;
    counts.forEach((n, i) => {
      statuses[i] = (statuses[i] as number) + n;
    });
  }

  /** The summary `getMetrics()` reports, or undefined while nothing was recorded. */
  summary(): MetricSummary | undefined {
    if (this.histogram.count === 0) return undefined;
    const base = { ...summarize(this.histogram), errors: this.errors };
    const statuses = this.statuses === undefined ? undefined : statusCounts(this.statuses);
    const window = this.window === undefined ? undefined : summarize(this.window.read(this.#clock.now()));
    return {
      ...base,
      ...(statuses === undefined ? {} : { statuses }),
      ...(window === undefined ? {} : { window }),
    };
  }
}

/** The status-class counters as a named object. */
export function statusCounts(counts: ArrayLike<number>): StatusClassCounts {
  return {
    "1xx": counts[0] ?? 0,
    "2xx": counts[1] ?? 0,
    "3xx": counts[2] ?? 0,
    "4xx": counts[3] ?? 0,
    "5xx": counts[4] ?? 0,
  };
}
