// The Node-transport glue shared by the Express, Koa, Fastify and node:http adapters.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import { beforeNodeHead, observeNodeResponse } from "@keel/http";
import type { RequestPerfImpl } from "../request-perf.js";
import type { RequestTimerImpl } from "../request-timer.js";

const STATUS_ONLY = { bytes: false, headers: false } as const;

/**
 * Times one Node request: timing headers just before the head goes out, the metric when the last
 * byte is handed to the OS (or the client goes away). `routeOf(source)` is read when the head is
 * sent, while the framework still knows the matched route, and again at the end if it had none
 * then. It runs on every request, so it allocates only the handle and two small closures.
 */
export function timeNodeRequest<S>(
  timer: RequestTimerImpl,
  req: IncomingMessage,
  res: ServerResponse,
  source: S,
  routeOf: (source: S) => string | undefined,
): RequestPerfImpl {
  const perf = timer.begin();
  let route: string | undefined;
  // Without timing headers the head is not hooked at all (on Express that saves the writeHead
  // wrapper, a property added to the response); the route is then read at the end.
  if (timer.sendsHeaders) {
    beforeNodeHead(res, (response) => {
      route = routeOf(source);
      timer.setHeadersOn(perf, response);
    });
  }
  // Only the status and the outcome: no body bytes or headers, so nothing but writeHead is wrapped.
  observeNodeResponse(
    res,
    (info) => {
      // The scheme only for observers: the only readers of it.
      const encrypted = timer.observed && (req.socket as TLSSocket | undefined)?.encrypted === true;
      timer.finishRequest(
        perf,
        req.method ?? "GET",
        route ?? routeOf(source),
        info.statusCode,
        info.aborted,
        encrypted ? "https" : "http",
      );
    },
    STATUS_ONLY,
  );
  return perf;
}
