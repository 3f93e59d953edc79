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
 * `hookHead: false` leaves the head to the caller (the Express adapter hooks its app's response
 * prototype, see `express-head.ts`), which then calls {@link sendTimingHeaders}.
 */
export function timeNodeRequest<S>(
  timer: RequestTimerImpl,
  req: IncomingMessage,
  res: ServerResponse,
  source: S,
  routeOf: (source: S) => string | undefined,
  hookHead = true,
): RequestPerfImpl {
  const perf = timer.begin();
  // Without timing headers the head is not hooked at all; the route is then read at the end.
  if (hookHead && timer.sendsHeaders) hookTimingHeaders(perf, source, res, routeOf);
  // Only the status and the outcome: no body bytes or headers, so nothing is wrapped.
  observeNodeResponse(
    res,
    (info) => {
      // The scheme only for observers: the only readers of it.
      const encrypted = timer.observed && (req.socket as TLSSocket | undefined)?.encrypted === true;
      timer.finishRequest(
        perf,
        req.method ?? "GET",
        perf.route ?? routeOf(source),
        info.statusCode,
        info.aborted,
        encrypted ? "https" : "http",
      );
    },
    STATUS_ONLY,
  );
  return perf;
}

/** Sends the timing headers of `perf` from a hook on this response's head. */
export function hookTimingHeaders<S>(
  perf: RequestPerfImpl,
  source: S,
  res: ServerResponse,
  routeOf: (source: S) => string | undefined,
): void {
  beforeNodeHead(res, (response) => sendTimingHeaders(perf, response, routeOf(source)));
}

/**
 * Sets the timing headers of `perf` on `res` (once, through the timer that made it), remembering the
 * route known at that moment.
 */
export function sendTimingHeaders(
  perf: RequestPerfImpl,
  res: ServerResponse,
  route: string | undefined,
): void {
  if (perf.headed) return;
  perf.headed = true;
  perf.route = route;
  perf.owner.setHeadersOn(perf, res);
}
