// The Node-transport glue shared by the Express, Koa, Fastify and node:http adapters.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { beforeNodeHead, observeNodeResponse } from "@keel/http";
import type { RequestPerf } from "../request-perf.js";
import type { RequestTimer } from "../request-timer.js";

const STATUS_ONLY = { bytes: false, headers: false } as const;

/**
 * Times one Node request: timing headers just before the head goes out, the metric when the last
 * byte is handed to the OS (or the client goes away). `routeOf` is read when the head is sent,
 * while the framework still knows the matched route, and again at the end if it had none then.
 */
export function timeNodeRequest(
  timer: RequestTimer,
  req: IncomingMessage,
  res: ServerResponse,
  routeOf: () => string | undefined,
): RequestPerf {
  const perf = timer.begin();
  let route: string | undefined;
  beforeNodeHead(res, (response) => {
    route = routeOf();
    for (const [name, value] of Object.entries(timer.headers(perf))) response.setHeader(name, value);
  });
  // Only the status and the outcome: no body bytes or headers, so nothing but writeHead is wrapped.
  observeNodeResponse(
    res,
    ({ statusCode, aborted }) => {
      timer.finish(perf, {
        method: req.method ?? "GET",
        route: route ?? routeOf(),
        statusCode,
        aborted,
        scheme: (req.socket as TLSSocket | undefined)?.encrypted === true ? "https" : "http",
      });
    },
    STATUS_ONLY,
  );
  return perf;
}
