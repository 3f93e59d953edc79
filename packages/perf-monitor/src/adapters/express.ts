import { expressRouteTemplate, requestProperty } from "@keel/http";
import type { RequestHandler } from "express";
import type { RequestPerf } from "../request-perf.js";
import { type MiddlewareOptions, requestTimer } from "../request-timer.js";
import { timingHeadersFromPrototype } from "./express-head.js";
import { hookTimingHeaders, timeNodeRequest } from "./node-timing.js";

declare global {
  namespace Express {
    interface Request {
      /** Named timings for this request's Server-Timing header; set by `@keel/perf-monitor/express`. */
      perf?: RequestPerf;
    }
  }
}

// An accessor on Express's request prototype: adding a property to each Express request is dear.
const setPerf = requestProperty<RequestPerf>("perf");

/**
 * Express middleware timing every request from arrival to last byte, recorded as
 * `"METHOD /route/template"` (`req.baseUrl + req.route.path`; `"METHOD (unmatched)"` for 404s),
 * with status classes, `X-Response-Time` and `Server-Timing`. Mount it first. `req.perf` records
 * named timings for `Server-Timing`.
 *
 * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_OPTION` naming an invalid option.
 * @example
 * ```ts
 * import express from "express";
 * import { metricsHandler } from "@keel/perf-monitor";
 * import { middleware } from "@keel/perf-monitor/express";
 *
 * const app = express();
 * app.use(middleware());
 * app.get("/metrics", metricsHandler());
 * app.get("/api/education/modules/:slug", async (req, res) => {
 *   const end = req.perf?.start("db");
 *   const module = await findModule(req.params.slug);
 *   end?.();
 *   res.json({ success: true, data: module });
 * });
 * ```
 */
export function middleware(options?: MiddlewareOptions): RequestHandler {
  const timer = requestTimer(options);
  return (req, res, next) => {
    const perf = timeNodeRequest(timer, req, res, req, expressRouteTemplate, false);
    // The head is hooked on the app's response prototype when it can be, else on this response.
    if (timer.sendsHeaders && !timingHeadersFromPrototype(req, res, perf))
      hookTimingHeaders(perf, req, res, expressRouteTemplate);
    setPerf(req, perf);
    next();
  };
}
