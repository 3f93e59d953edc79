import type { IncomingMessage, ServerResponse } from "node:http";
import { describeValue, PerfMonitorError } from "../errors.js";
import type { RequestPerf } from "../request-perf.js";
import { type MiddlewareOptions, requestTimer } from "../request-timer.js";
import { timeNodeRequest } from "./node-timing.js";

/**
 * Options of the `node:http` middleware: the shared {@link MiddlewareOptions} plus a way to name
 * routes, since plain `node:http` has no router.
 *
 * @example
 * ```ts
 * const options: NodeMiddlewareOptions = {
 *   route: (req) => (req.url?.startsWith("/api/modules/") ? "/api/modules/:slug" : undefined),
 * };
 * ```
 */
export interface NodeMiddlewareOptions extends MiddlewareOptions {
  /**
   * The route template of a request (`"/api/modules/:slug"`), read just before the head is sent;
   * undefined files it under `"METHOD (unmatched)"`. Never return the raw URL: every distinct URL
   * would become a metric (the `maxMetrics` cap then sends them to the overflow series).
   * @default () => undefined
   */
  readonly route?: (req: IncomingMessage) => string | undefined;
}

/**
 * A request seen by the `node:http` middleware: it carries its {@link RequestPerf} handle.
 *
 * @example
 * ```ts
 * import type { PerfRequest } from "@keel/perf-monitor/node";
 * function handler(req: PerfRequest, res: ServerResponse) {
 *   const end = req.perf?.start("render");
 *   res.end(render());
 *   end?.();
 * }
 * ```
 */
export type PerfRequest = IncomingMessage & { perf?: RequestPerf };

/**
 * Connect-style middleware for `node:http` (and any Node server passing `req`, `res`, `next`):
 * times the request to its last byte, sets `X-Response-Time` and `Server-Timing`, and sets
 * `req.perf` for named timings. Call it first, then your handler (as `next`).
 *
 * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_OPTION` naming an invalid option.
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { middleware } from "@keel/perf-monitor/node";
 *
 * const timing = middleware({ route: (req) => (req.url === "/health" ? "/health" : undefined) });
 * createServer((req, res) => timing(req, res, () => res.end("ok"))).listen(3000);
 * ```
 */
export function middleware(
  options: NodeMiddlewareOptions = {},
): (req: PerfRequest, res: ServerResponse, next?: (error?: unknown) => void) => void {
  const { route = () => undefined, ...rest } = options ?? {};
  const timer = requestTimer(rest);
  if (typeof route !== "function") {
    throw new PerfMonitorError(
      "ERR_KEEL_PERF_MONITOR_OPTION",
      `route must be a function from a request to its route template, got ${describeValue(route)}`,
    );
  }
  return (req, res, next) => {
    req.perf = timeNodeRequest(timer, req, res, req, route);
    next?.();
  };
}

export type { MiddlewareOptions, RequestPerf };
