import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";

/**
 * Process memory, in bytes, as `process.memoryUsage()` reports it.
 *
 * @example
 * ```ts
 * const { rss, heapUsed } = monitor.processMetrics().memory;
 * console.log(`rss ${(rss / 2 ** 20).toFixed(0)} MiB, heap ${(heapUsed / 2 ** 20).toFixed(0)} MiB`);
 * ```
 */
export interface MemoryGauges {
  /** Resident set size: all memory the process holds, in bytes. */
  readonly rss: number;
  /** V8 heap reserved, in bytes. */
  readonly heapTotal: number;
  /** V8 heap in use, in bytes. */
  readonly heapUsed: number;
  /** Memory of C++ objects bound to JavaScript objects, in bytes. */
  readonly external: number;
  /** Memory of `ArrayBuffer`s and `SharedArrayBuffer`s (included in `external`), in bytes. */
  readonly arrayBuffers: number;
}

/**
 * Event-loop delay since the monitor was created or last reset, in milliseconds.
 *
 * @example
 * ```ts
 * const perf = createMonitor({ eventLoopDelay: true });
 * const delay = perf.processMetrics().eventLoopDelay;
 * if (delay && delay.p99 > 100) console.warn("the event loop is blocked for 100 ms at p99");
 * ```
 */
export interface EventLoopDelaySummary {
  /** Number of delay samples taken (one per `resolution` milliseconds of a free loop). */
  readonly count: number;
  /** Smallest delay, in milliseconds. */
  readonly min: number;
  /** Largest delay, in milliseconds. */
  readonly max: number;
  /** Mean delay, in milliseconds. */
  readonly mean: number;
  /** Median delay, in milliseconds. */
  readonly p50: number;
  /** 90th percentile delay, in milliseconds. */
  readonly p90: number;
  /** 99th percentile delay, in milliseconds. */
  readonly p99: number;
}

/**
 * What `processMetrics()` returns: memory gauges read when asked, and event-loop delay when the
 * monitor was created with `eventLoopDelay`.
 *
 * @example
 * ```ts
 * import { monitor } from "@keel/perf-monitor";
 * const { memory, eventLoopDelay } = monitor.processMetrics();
 * ```
 */
export interface ProcessMetrics {
  /** Process memory, read by this call. */
  readonly memory: MemoryGauges;
  /** Event-loop delay; present when the monitor measures it. */
  readonly eventLoopDelay?: EventLoopDelaySummary;
}

const NS_PER_MS = 1e6;

/** Process gauges on request: memory when read, event-loop delay through `perf_hooks`. */
export class ProcessGauges {
  readonly #delay: IntervalHistogram | undefined;

  constructor(resolutionMs: number | undefined) {
    if (resolutionMs !== undefined) {
      // perf_hooks runs this sampler on an unref'd libuv timer: it never keeps the process alive.
      this.#delay = monitorEventLoopDelay({ resolution: resolutionMs });
      this.#delay.enable();
    }
  }

  read(): ProcessMetrics {
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
    const memory = { rss, heapTotal, heapUsed, external, arrayBuffers };
    return this.#delay === undefined ? { memory } : { memory, eventLoopDelay: delaySummary(this.#delay) };
  }

  reset(): void {
    this.#delay?.reset();
  }

  close(): void {
    this.#delay?.disable();
  }
}

function delaySummary(h: IntervalHistogram): EventLoopDelaySummary {
  if (h.count === 0) return { count: 0, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0 };
  return {
    count: h.count,
    min: h.min / NS_PER_MS,
    max: h.max / NS_PER_MS,
    mean: h.mean / NS_PER_MS,
    p50: h.percentile(50) / NS_PER_MS,
    p90: h.percentile(90) / NS_PER_MS,
    p99: h.percentile(99) / NS_PER_MS,
  };
}
