import { fastifyRouteTemplate } from "@keel/http";
import type { FastifyPluginCallback } from "fastify";
import type { RequestPerf } from "../request-perf.js";
import { type MiddlewareOptions, requestTimer } from "../request-timer.js";
import { timeNodeRequest } from "./node-timing.js";

declare module "fastify" {
  interface FastifyRequest {
    /** Named timings for this request's Server-Timing header; set by `@keel/perf-monitor/fastify`. */
    perf: RequestPerf;
  }
}

/**
 * A Fastify plugin timing every request from arrival to last byte, recorded as
 * `"METHOD /route/template"` (`request.routeOptions.url`; `"METHOD (unmatched)"` for 404s), with
 * status classes, `X-Response-Time` and `Server-Timing`. It applies to the whole instance (it is
 * not encapsulated); `request.perf` records named timings for `Server-Timing`.
 *
 * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_OPTION` naming an invalid option.
 * @example
 * ```ts
 * import Fastify from "fastify";
 * import { middleware } from "@keel/perf-monitor/fastify";
 *
 * const app = Fastify();
 * await app.register(middleware());
 * app.get("/api/education/modules/:slug", async (request) => {
 *   const end = request.perf.start("db");
 *   const module = await findModule(request.params);
 *   end();
 *   return { success: true, data: module };
 * });
 * ```
 */
export function middleware(options?: MiddlewareOptions): FastifyPluginCallback {
  const timer = requestTimer(options);
  const plugin: FastifyPluginCallback = (fastify, _options, done) => {
    fastify.decorateRequest("perf", null as unknown as RequestPerf);
    fastify.addHook("onRequest", (request, reply, next) => {
      request.perf = timeNodeRequest(timer, request.raw, reply.raw, request, fastifyRouteTemplate);
      next();
    });
    done();
  };
  // What fastify-plugin does: the hook applies to the parent instance, not only inside the plugin.
  Object.assign(plugin, {
    [Symbol.for("skip-override")]: true,
    [Symbol.for("fastify.display-name")]: "@keel/perf-monitor",
  });
  return plugin;
}

export type { MiddlewareOptions, RequestPerf };
