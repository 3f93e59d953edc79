import { describeValue, PerfMonitorError } from "./errors.js";
import type { Monitor } from "./monitor.js";
import type { RequestTimerImpl } from "./request-timer.js";

/** Named timings kept per request for Server-Timing; later ones are still recorded in the monitor. */
export const MAX_SERVER_TIMINGS = 32;

/**
 * The per-request handle the middleware attaches (`req.perf`, Fastify `request.perf`, Koa
 * `ctx.state.perf`, Hono `c.get("perf")`): named timings recorded through it appear in the
 * response's `Server-Timing` header (the first 32 that ended before the head was sent) and are
 * recorded in the monitor under their name, like `monitor.start(name)`.
 *
 * @example
 * ```ts
 * app.get("/api/education/modules/:slug", async (req, res) => {
 *   const end = req.perf?.start("db");
 *   const module = await db.findModule(req.params.slug);
 *   end?.();
 *   res.json({ success: true, data: module }); // Server-Timing: total;dur=5.1, db;dur=3.9
 * });
 * ```
 */
export interface RequestPerf {
  /** Starts a named timing; `end()` records it once and returns its milliseconds. */
  start(name: string): () => number;
  /** Records a named timing measured elsewhere, in milliseconds. */
  record(name: string, ms: number): void;
  /** Milliseconds since the request arrived (since the middleware saw it). */
  elapsed(): number;
}

/** The {@link RequestPerf} implementation, with what the middleware core needs on top. */
export class RequestPerfImpl implements RequestPerf {
  readonly startedAt: number;
  /** Named timings for Server-Timing, created by the first one (most requests record none). */
  names: string[] | undefined = undefined;
  durations: number[] | undefined = undefined;
  /** The route template read when the head went out (the middleware's), if it was read then. */
  route: string | undefined = undefined;
  /** Whether this request's timing headers were set; they are set once. */
  headed = false;
  /** The request timer that created the handle, which sends its timing headers. */
  readonly owner: RequestTimerImpl;
  readonly #monitor: Monitor;

  constructor(monitor: Monitor, owner: RequestTimerImpl) {
    this.#monitor = monitor;
    this.owner = owner;
    this.startedAt = monitor.clock.now();
  }

  start(name: string): () => number {
    checkName(name);
    const clock = this.#monitor.clock;
    const started = clock.now();
    let elapsed: number | undefined;
    return () => {
      if (elapsed === undefined) {
        elapsed = Math.max(0, clock.now() - started);
        this.record(name, elapsed);
      }
      return elapsed;
    };
  }

  record(name: string, ms: number): void {
    checkName(name);
    this.#monitor.record(name, ms); // validates ms
    if (this.names === undefined || this.durations === undefined) {
      this.names = [name];
      this.durations = [ms];
    } else if (this.names.length < MAX_SERVER_TIMINGS) {
      this.names.push(name);
      this.durations.push(ms);
    }
  }

  elapsed(): number {
    return Math.max(0, this.#monitor.clock.now() - this.startedAt);
  }
}

function checkName(name: string): void {
  if (typeof name !== "string" || name.length === 0) {
    throw new PerfMonitorError(
      "ERR_KEEL_PERF_MONITOR_NAME",
      `a timing name must be a non-empty string, got ${describeValue(name)}`,
    );
  }
}
