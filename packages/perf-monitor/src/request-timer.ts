import { routeName } from "@keel/http";
import { describeValue, PerfMonitorError } from "./errors.js";
import { monitor as defaultMonitor, type Monitor } from "./monitor.js";
import type { MonitorLogger } from "./options.js";
import { type RequestPerf, RequestPerfImpl } from "./request-perf.js";
import type { RequestObserver } from "./request-record.js";
import { formatResponseTime, formatServerTiming } from "./server-timing.js";

/**
 * Options of every framework's `middleware()` and of {@link createRequestTimer}, validated when
 * the middleware is created.
 *
 * @example
 * ```ts
 * import { middleware } from "@keel/perf-monitor/express";
 * import { createMonitor } from "@keel/perf-monitor";
 *
 * app.use(middleware({ monitor: createMonitor({ window: 60 }), serverTiming: false }));
 * ```
 */
export interface MiddlewareOptions {
  /**
   * The monitor requests are recorded in.
   * @default the default `monitor`
   */
  readonly monitor?: Monitor;
  /**
   * Name of the header carrying the milliseconds from arrival to the response head (`12.346ms`),
   * or `false` for none. Set just before the head is sent, never after (which crashed the original).
   * @default "X-Response-Time"
   */
  readonly responseTimeHeader?: string | false;
  /**
   * Send `Server-Timing: total;dur=…` plus the named timings recorded through the request's
   * {@link RequestPerf} handle. Browsers show it in their developer tools; send it only where
   * clients may see these timings.
   * @default true
   */
  readonly serverTiming?: boolean;
  /** Called with every finished request, e.g. `otelRequestObserver()` from `@keel/perf-monitor/otel`. @default [] */
  readonly observers?: readonly RequestObserver[];
  /** Told, once, when an observer throws. @default console */
  readonly logger?: MonitorLogger;
}

/**
 * The framework-free middleware core the adapters share: `begin()` when a request arrives,
 * `headers()` just before its head is sent, `finish()` at its last byte.
 *
 * @example
 * ```ts
 * import { createRequestTimer } from "@keel/perf-monitor";
 *
 * const timer = createRequestTimer();
 * const perf = timer.begin();
 * // ... handle the request ...
 * const headers = timer.headers(perf); // { "X-Response-Time": "3.120ms", "Server-Timing": "total;dur=3.12" }
 * timer.finish(perf, { method: "GET", route: "/api/modules/:slug", statusCode: 200 });
 * ```
 */
export interface RequestTimer {
  /** Starts timing a request that just arrived; the handle goes on the request as `perf`. */
  begin(): RequestPerf;
  /** The timing headers to send, computed now (just before the head goes out). */
  headers(perf: RequestPerf): Record<string, string>;
  /**
   * Records the finished request as `"METHOD /route/template"` (`"METHOD (unmatched)"` without a
   * route, never the raw URL) and tells the observers.
   */
  finish(perf: RequestPerf, outcome: RequestOutcome): void;
}

/**
 * How a request ended, as an adapter reports it to {@link RequestTimer.finish}.
 *
 * @example
 * ```ts
 * timer.finish(perf, { method: "GET", route: "/api/modules/:slug", statusCode: 200, scheme: "https" });
 * ```
 */
export interface RequestOutcome {
  /** The request method, any case. */
  readonly method: string;
  /** The matched route template, or undefined when no route matched. */
  readonly route: string | undefined;
  /** The response status. */
  readonly statusCode: number;
  /** True when the client went away before the last byte. @default false */
  readonly aborted?: boolean;
  /** The URL scheme of the connection. @default "http" */
  readonly scheme?: "http" | "https";
}

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The handle as begin() made it; a handle from elsewhere is a programming error. */
function own(perf: RequestPerf): RequestPerfImpl {
  if (perf instanceof RequestPerfImpl) return perf;
  throw new PerfMonitorError(
    "ERR_KEEL_PERF_MONITOR_OPTION",
    "pass the handle returned by this timer's begin()",
  );
}

function optionError(message: string): PerfMonitorError {
  return new PerfMonitorError("ERR_KEEL_PERF_MONITOR_OPTION", message);
}

/**
 * Creates the middleware core; see {@link RequestTimer}. The framework adapters call it; use it
 * directly for a framework without one.
 *
 * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_OPTION` naming the first invalid option.
 * @example
 * ```ts
 * import { createRequestTimer } from "@keel/perf-monitor";
 * const timer = createRequestTimer({ responseTimeHeader: "Response-Time" });
 * ```
 */
export function createRequestTimer(options: MiddlewareOptions = {}): RequestTimer {
  return requestTimer(options);
}

/** {@link createRequestTimer}, typed as the adapters' fast timer. */
export function requestTimer(options: MiddlewareOptions = {}): RequestTimerImpl {
  if (typeof options !== "object" || options === null) {
    throw optionError(`middleware options must be an object, got ${describeValue(options)}`);
  }
  const {
    monitor = defaultMonitor,
    responseTimeHeader = "X-Response-Time",
    serverTiming = true,
    observers = [],
    logger = console,
  } = options;
  if (typeof monitor?.recordRequest !== "function" || typeof monitor.clock?.now !== "function") {
    throw optionError("monitor must be a monitor from createMonitor()");
  }
  if (
    responseTimeHeader !== false &&
    !(typeof responseTimeHeader === "string" && HEADER_NAME.test(responseTimeHeader))
  ) {
    throw optionError(
      `responseTimeHeader must be a header name or false, got ${describeValue(responseTimeHeader)}`,
    );
  }
  if (typeof serverTiming !== "boolean")
    throw optionError(`serverTiming must be a boolean, got ${describeValue(serverTiming)}`);
  if (!Array.isArray(observers) || !observers.every((o) => typeof o === "function")) {
    throw optionError("observers must be an array of functions taking a RequestRecord");
  }
  if (typeof logger?.warn !== "function") throw optionError("logger must have a warn(message) method");
  return new RequestTimerImpl(monitor, responseTimeHeader, serverTiming, [...observers], logger);
}

/** Distinct method and route pairs whose metric name is kept; past it names are built per request. */
const NAME_CACHE_LIMIT = 4096;

/**
 * The {@link RequestTimer} the adapters use, with allocation-free entry points for the hot path:
 * headers set straight onto the response, the outcome passed as arguments, and metric names built
 * once per method and route instead of once per request.
 */
export class RequestTimerImpl implements RequestTimer {
  readonly #monitor: Monitor;
  readonly #responseTimeHeader: string | false;
  readonly #serverTiming: boolean;
  readonly #observers: readonly RequestObserver[];
  readonly #logger: MonitorLogger;
  #observerFailed = false;
  readonly #names = new Map<string, Map<string | undefined, string>>();
  #namesCached = 0;

  constructor(
    monitor: Monitor,
    responseTimeHeader: string | false,
    serverTiming: boolean,
    observers: readonly RequestObserver[],
    logger: MonitorLogger,
  ) {
    this.#monitor = monitor;
    this.#responseTimeHeader = responseTimeHeader;
    this.#serverTiming = serverTiming;
    this.#observers = observers;
    this.#logger = logger;
  }

  begin(): RequestPerfImpl {
    return new RequestPerfImpl(this.#monitor, this);
  }

  /** Whether observers are told of finished requests (only then is a request's scheme needed). */
  get observed(): boolean {
    return this.#observers.length > 0;
  }

  /** Whether any timing header is sent (when none is, adapters need not hook the response head). */
  get sendsHeaders(): boolean {
    return this.#responseTimeHeader !== false || this.#serverTiming;
  }

  headers(handle: RequestPerf): Record<string, string> {
    const headers: Record<string, string> = {};
    this.setHeadersOn(own(handle), {
      setHeader(name: string, value: string) {
        headers[name] = value;
      },
    });
    return headers;
  }

  /** {@link headers}, set straight onto a Node response. */
  setHeadersOn(perf: RequestPerfImpl, res: { setHeader(name: string, value: string): unknown }): void {
    if (this.#responseTimeHeader === false && !this.#serverTiming) return;
    const ms = perf.elapsed();
    if (this.#responseTimeHeader !== false) res.setHeader(this.#responseTimeHeader, formatResponseTime(ms));
    if (this.#serverTiming)
      res.setHeader("Server-Timing", formatServerTiming(ms, perf.names, perf.durations));
  }

  finish(
    handle: RequestPerf,
    { method, route, statusCode, aborted = false, scheme = "http" }: RequestOutcome,
  ): void {
    this.finishRequest(own(handle), method, route, statusCode, aborted, scheme);
  }

  /** {@link finish} with the outcome as arguments. */
  finishRequest(
    perf: RequestPerfImpl,
    method: string,
    route: string | undefined,
    statusCode: number,
    aborted: boolean,
    scheme: "http" | "https",
  ): void {
    const durationMs = perf.elapsed();
    const name = this.#nameOf(method, route);
    this.#monitor.recordRequest(name, durationMs, statusCode, aborted);
    const observers = this.#observers;
    if (observers.length === 0) return;
    const record = {
      method: method.toUpperCase(),
      route,
      name,
      statusCode,
      durationMs,
      scheme,
      aborted,
    };
    for (const observe of observers) {
      try {
        observe(record);
      } catch (error) {
        if (this.#observerFailed) continue;
        this.#observerFailed = true;
        this.#logger.warn(
          `@keel/perf-monitor: a request observer threw (${String(error)}); the request was recorded, ` +
            "the observer skipped. Later observer failures are not logged.",
        );
      }
    }
  }

  #nameOf(method: string, route: string | undefined): string {
    let byRoute = this.#names.get(method);
    const cached = byRoute?.get(route);
    if (cached !== undefined) return cached;
    const name = routeName(method, route);
    if (this.#namesCached < NAME_CACHE_LIMIT) {
      if (byRoute === undefined) {
        byRoute = new Map();
        this.#names.set(method, byRoute);
      }
      byRoute.set(route, name);
      this.#namesCached++;
    }
    return name;
  }
}
