import { koaRouteTemplate } from "@keel/http";
import type { Middleware } from "koa";
import type { RequestPerf } from "../request-perf.js";
import { type MiddlewareOptions, requestTimer } from "../request-timer.js";
import { timeNodeRequest } from "./node-timing.js";

/**
 * Koa middleware timing every request from arrival to last byte, recorded as
 * `"METHOD /route/template"` (from `@koa/router`'s `ctx._matchedRoute`; `"METHOD (unmatched)"`
 * otherwise), with status classes, `X-Response-Time` and `Server-Timing`. Use it first;
 * `ctx.state.perf` records named timings for `Server-Timing`.
 *
 * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_OPTION` naming an invalid option.
 * @example
 * ```ts
 * import Koa from "koa";
 * import Router from "@koa/router";
 * import { middleware } from "@keel/perf-monitor/koa";
 *
 * const app = new Koa();
 * const router = new Router();
 * router.get("/api/education/modules/:slug", async (ctx) => {
 *   const end = ctx.state.perf.start("db");
 *   ctx.body = await findModule(ctx.params.slug);
 *   end();
 * });
 * app.use(middleware()).use(router.routes());
 * ```
 */
export function middleware(options?: MiddlewareOptions): Middleware<{ perf: RequestPerf }> {
  const timer = requestTimer(options);
  return async (ctx, next) => {
    ctx.state.perf = timeNodeRequest(timer, ctx.req, ctx.res, ctx, koaRouteTemplate);
    await next();
  };
}

export type { MiddlewareOptions, RequestPerf };
