import { IncomingMessage } from "node:http";
import { expressRouteTemplate } from "@keel/http";
import type { RequestHandler } from "express";
import type { RequestPerf } from "../request-perf.js";
import { type MiddlewareOptions, requestTimer } from "../request-timer.js";
import { timeNodeRequest } from "./node-timing.js";

declare global {
  namespace Express {
    interface Request {
      /** Named timings for this request's Server-Timing header; set by `@keel/perf-monitor/express`. */
      perf?: RequestPerf;
    }
  }
}

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
    const perf = timeNodeRequest(timer, req, res, req, expressRouteTemplate);
    if (perfAccessorOn(req)) perfs.set(req, perf);
    else req.perf = perf;
    next();
  };
}

// Express requests do not share hidden classes (their prototype is swapped per request), so
// every property added to one copies its whole map, about 2 KB in old space, several µs per
// request under load. So `req.perf` is an accessor on Express's own request prototype (the one
// Express documents extending) over a WeakMap, set up once per copy of Express.
const perfs = new WeakMap<object, RequestPerf>();
const prototypesWithAccessor = new WeakSet<object>();

/** Whether `req.perf` reads `perfs`: true once the accessor is on Express's request prototype. */
function perfAccessorOn(req: object): boolean {
  let proto: object | null = Object.getPrototypeOf(req) as object | null;
  // Express's request prototype is the one just above IncomingMessage.prototype.
  while (proto !== null && Object.getPrototypeOf(proto) !== IncomingMessage.prototype) {
    proto = Object.getPrototypeOf(proto) as object | null;
  }
  if (proto === null) return false;
  if (prototypesWithAccessor.has(proto)) return true;
  if (Object.getOwnPropertyDescriptor(proto, "perf")?.configurable === false) return false;
  Object.defineProperty(proto, "perf", {
    configurable: true,
    enumerable: false,
    get(this: object) {
      return perfs.get(this);
    },
    set(this: object, value: RequestPerf) {
      perfs.set(this, value);
    },
  });
  prototypesWithAccessor.add(proto);
  return true;
}

export type { MiddlewareOptions, RequestPerf };
