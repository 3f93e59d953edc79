import type { ServerResponse } from "node:http";
import { honoRouteTemplate, observeNodeResponse, withHeaders } from "@keel/http";
import type { MiddlewareHandler } from "hono";
import type { RequestPerf } from "../request-perf.js";
import { createRequestTimer, type MiddlewareOptions } from "../request-timer.js";

/**
 * The Hono environment the middleware adds to: `c.get("perf")` is the request's
 * {@link RequestPerf} handle.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import type { PerfEnv } from "@keel/perf-monitor/hono";
 *
 * const app = new Hono<PerfEnv>();
 * app.get("/x", (c) => c.text(String(c.get("perf").elapsed())));
 * ```
 */
export interface PerfEnv {
  /** Variables set by the middleware. */
  Variables: {
    /** Named timings for this request's Server-Timing header. */
    perf: RequestPerf;
  };
}

function nodeResponseOf(env: unknown): ServerResponse | undefined {
  const outgoing = (env as { outgoing?: unknown } | undefined)?.outgoing;
  return typeof (outgoing as ServerResponse | undefined)?.writeHead === "function"
    ? (outgoing as ServerResponse)
    : undefined;
}

/**
 * Hono middleware timing every request, recorded as `"METHOD /route/template"` (`c.req.routePath`;
 * `"METHOD (unmatched)"` when only catch-all middleware matched), with status classes,
 * `X-Response-Time` and `Server-Timing` (measured to the handler's `Response`). Under
 * `@hono/node-server` the metric is taken at the last byte; on other runtimes, when the handler's
 * `Response` is ready (its body may still be streaming). `c.get("perf")` records named timings.
 *
 * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_OPTION` naming an invalid option.
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { middleware, type PerfEnv } from "@keel/perf-monitor/hono";
 *
 * const app = new Hono<PerfEnv>();
 * app.use(middleware());
 * app.get("/api/education/modules/:slug", async (c) => {
 *   const end = c.get("perf").start("db");
 *   const module = await findModule(c.req.param("slug"));
 *   end();
 *   return c.json({ success: true, data: module });
 * });
 * ```
 */
export function middleware(options?: MiddlewareOptions): MiddlewareHandler<PerfEnv> {
  const timer = createRequestTimer(options);
  return async (c, next) => {
    const perf = timer.begin();
    c.set("perf", perf);
    await next();
    c.res = withHeaders(c.res, timer.headers(perf));
    const method = c.req.method;
    const route = honoRouteTemplate(c);
    const scheme = c.req.url.startsWith("https:") ? "https" : "http";
    const outgoing = nodeResponseOf(c.env);
    if (outgoing === undefined) {
      timer.finish(perf, { method, route, statusCode: c.res.status, scheme });
      return;
    }
    observeNodeResponse(
      outgoing,
      ({ statusCode, aborted }) => {
        timer.finish(perf, { method, route, statusCode, aborted, scheme });
      },
      { bytes: false, headers: false },
    );
  };
}

export type { MiddlewareOptions, RequestPerf };
