import type { Metric } from "./metric.js";
import type { Clock } from "./options.js";
import type { Registry } from "./registry.js";
import { startTimer, timeCall } from "./timing.js";

/**
 * A metric resolved once by name, for hot paths: its methods skip the name lookup. A handle stays
 * valid across `reset()` (it finds its metric again) and, when its name came past `maxMetrics`,
 * records into the overflow series.
 *
 * @example
 * ```ts
 * import { monitor } from "@keel/perf-monitor";
 *
 * const query = monitor.metric("db.query");
 * const end = query.start();
 * // ... run the query ...
 * end();
 * query.record(1.25); // milliseconds
 * ```
 */
export interface MetricHandle {
  /** The name this handle was resolved with. */
  readonly name: string;
  /** Records one sample, in milliseconds (finite, 0 or more). */
  record(value: number): void;
  /** Records one sample, in milliseconds, and counts it as an error. */
  recordError(value: number): void;
  /** Starts a timer; `end()` records once and returns the elapsed milliseconds. */
  start(): () => number;
  /** Times an async call until it settles; a rejection is recorded, counted as an error and passed on. */
  time<T>(fn: () => Promise<T>): Promise<T>;
  /** Times a synchronous call; a throw is recorded, counted as an error and rethrown. */
  time<T>(fn: () => T): T;
  /** Counts a response in its status class (`200` counts as `2xx`); codes outside 100-599 are ignored. */
  countStatus(statusCode: number): void;
}

/** The {@link MetricHandle} implementation: a metric plus the generation it was resolved in. */
export class ResolvedMetric implements MetricHandle {
  readonly name: string;
  readonly #registry: Registry;
  readonly #clock: Clock;
  #metric: Metric;
  #generation: number;

  constructor(registry: Registry, clock: Clock, name: string) {
    this.name = name;
    this.#registry = registry;
    this.#clock = clock;
    this.#metric = registry.resolve(name);
    this.#generation = registry.generation;
  }

  #current = (): Metric => {
    if (this.#generation !== this.#registry.generation) {
      this.#metric = this.#registry.resolve(this.name);
      this.#generation = this.#registry.generation;
    }
    return this.#metric;
  };

  record(value: number): void {
    this.#current().record(value);
  }

  recordError(value: number): void {
    const metric = this.#current();
    metric.record(value);
    metric.errors++;
  }

  start(): () => number {
    return startTimer(this.#clock, this.#current);
  }

  time<T>(fn: () => T): T {
    return timeCall(this.#clock, this.#current, fn);
  }

  countStatus(statusCode: number): void {
    this.#current().countStatus(statusCode);
  }
}
