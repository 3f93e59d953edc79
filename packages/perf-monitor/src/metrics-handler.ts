import { monitor as defaultMonitor } from "./monitor.js";
import { PROMETHEUS_CONTENT_TYPE, render } from "./prometheus.js";
import { type PrometheusOptions, resolvePrometheusOptions } from "./prometheus-options.js";

/**
 * The part of a Node `ServerResponse` (or Express `Response`) the handler writes to.
 *
 * @example
 * ```ts
 * import type { MetricsResponse } from "@keel/perf-monitor";
 * const serve = metricsHandler();
 * const res: MetricsResponse = { statusCode: 0, setHeader: () => undefined, end: (body) => console.log(body) };
 * serve(undefined, res);
 * ```
 */
export interface MetricsResponse {
  /** The status code to send. */
  statusCode: number;
  /** Sets a response header. */
  setHeader(name: string, value: string): unknown;
  /** Sends the body and ends the response. */
  end(body: string): unknown;
}

/**
 * A request handler serving {@link toPrometheus} for `/metrics`, for `node:http` and Express (and
 * anything with a Node `ServerResponse`: Koa's `ctx.res`, Fastify's `reply.raw`). Options are
 * validated now. If rendering fails, Express's `next(error)` gets the error; without `next` the
 * response is a 500 whose body says why.
 *
 * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_OPTION` naming an invalid option.
 * @example
 * ```ts
 * import express from "express";
 * import { metricsHandler } from "@keel/perf-monitor";
 *
 * const app = express();
 * app.get("/metrics", metricsHandler({ labels: { service: "education" } }));
 * ```
 */
export function metricsHandler(
  options?: PrometheusOptions,
): (req: unknown, res: MetricsResponse, next?: (error?: unknown) => void) => void {
  const resolved = resolvePrometheusOptions(options);
  const source = options?.source ?? defaultMonitor;
  return (_req, res, next) => {
    let body: string;
    try {
      body = render(source, resolved);
    } catch (error) {
      if (typeof next === "function") return next(error);
      res.statusCode = 500;
      res.setHeader("Content-Type", "text/plain; charset=utf-8");
      res.end(`@keel/perf-monitor could not render metrics: ${(error as Error).message}\n`);
      return;
    }
    res.statusCode = 200;
    res.setHeader("Content-Type", PROMETHEUS_CONTENT_TYPE);
    res.end(body);
  };
}
