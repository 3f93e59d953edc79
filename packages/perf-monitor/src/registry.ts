import { describeValue, PerfMonitorError } from "./errors.js";
import { Metric } from "./metric.js";
import type { ResolvedMonitorOptions } from "./options.js";

/**
 * The name of the one series that receives samples for new names once `maxMetrics` names exist.
 *
 * @example
 * ```ts
 * import { OVERFLOW_METRIC, monitor } from "@keel/perf-monitor";
 * if (monitor.getMetrics(OVERFLOW_METRIC)) console.warn("metric names are unbounded somewhere");
 * ```
 */
export const OVERFLOW_METRIC = "(overflow)";

/** The metrics of one monitor by name, with the cardinality cap. */
export class Registry {
  readonly #options: ResolvedMonitorOptions;
  readonly #metrics = new Map<string, Metric>();
  #overflow: Metric | undefined;
  #warned = false;
  /** Bumped by `clear()`, so handles resolved earlier know to look their metric up again. */
  generation = 0;

  constructor(options: ResolvedMonitorOptions) {
    this.#options = options;
  }

  /** The metric for `name`, created if the cap allows, else the overflow metric. */
  resolve(name: string): Metric {
    return this.#metrics.get(name) ?? this.#create(name);
  }

  /** The metric for `name` if it exists, without creating it. */
  find(name: string): Metric | undefined {
    return name === OVERFLOW_METRIC ? this.#overflow : this.#metrics.get(name);
  }

  /** Every series, the overflow one last. */
  *all(): IterableIterator<Metric> {
    yield* this.#metrics.values();
    if (this.#overflow !== undefined) yield this.#overflow;
  }

  /** Number of series, the overflow one included. */
  get size(): number {
    return this.#metrics.size + (this.#overflow === undefined ? 0 : 1);
  }

  /** Forgets every metric; handles re-resolve on their next use. */
  clear(): void {
    this.#metrics.clear();
    this.#overflow = undefined;
    this.generation++;
  }

  #create(name: string): Metric {
    if (typeof name !== "string" || name.length === 0) {
      throw new PerfMonitorError(
        "ERR_KEEL_PERF_MONITOR_NAME",
        `a metric name must be a non-empty string, got ${describeValue(name)}`,
      );
    }
    if (name === OVERFLOW_METRIC) return this.#overflowMetric();
    const { maxMetrics, logger } = this.#options;
    if (this.#metrics.size >= maxMetrics) {
      if (!this.#warned) {
        this.#warned = true;
        logger.warn(
          `@keel/perf-monitor: more than ${maxMetrics} metric names; samples for ${describeValue(name.slice(0, 120))} ` +
            `and every later new name go to "${OVERFLOW_METRIC}". Build names from bounded values (route templates, ` +
            "never raw URLs or ids), or raise maxMetrics. This warning is logged once.",
        );
      }
      return this.#overflowMetric();
    }
    const metric = this.#newMetric(name);
    this.#metrics.set(name, metric);
    return metric;
  }

  #overflowMetric(): Metric {
    this.#overflow ??= this.#newMetric(OVERFLOW_METRIC);
    return this.#overflow;
  }

  #newMetric(name: string): Metric {
    const { clock, windowMs, windowSlices } = this.#options;
    return new Metric(name, clock, windowMs, windowSlices);
  }
}
