// Timing headers on Express without touching each response.
//
// beforeNodeHead wraps each response's writeHead, which on Express adds a property to a response
// whose hidden class is not shared with other responses (Express swaps the prototype of every
// response): about 4 µs of CPU per request, most of what the timing headers cost. Instead,
// writeHead is wrapped once on the app's response prototype (which mounted sub-apps inherit), and
// the wrapper finds the request's handle in a WeakMap keyed by the request (not `req.perf`, which
// the application may replace). One wrapper per prototype, whatever the number of middlewares; when
// two of them time one request, the later one's handle sends the headers.
import type { IncomingMessage, ServerResponse } from "node:http";
import { expressRouteTemplate } from "@keel/http";
import type { RequestPerfImpl } from "../request-perf.js";
import { sendTimingHeaders } from "./node-timing.js";

type WriteHead = (this: ServerResponse, ...args: unknown[]) => ServerResponse;

const HANDLES = new WeakMap<IncomingMessage, RequestPerfImpl>();
const HOOKED = new WeakSet<object>();
const REFUSED = new WeakSet<object>();

function install(proto: object): boolean {
  const existing = Object.getOwnPropertyDescriptor(proto, "writeHead");
  const inherited = (proto as { writeHead?: unknown }).writeHead;
  if ((existing !== undefined && existing.writable !== true) || typeof inherited !== "function") {
    REFUSED.add(proto);
    return false;
  }
  const writeHead = inherited as WriteHead;
  Object.defineProperty(proto, "writeHead", {
    configurable: true,
    enumerable: false,
    writable: true,
    value: function writeHeadWithTiming(this: ServerResponse, ...args: unknown[]): ServerResponse {
      const req = this.req;
      const perf = req === undefined || this.headersSent ? undefined : HANDLES.get(req);
      if (perf !== undefined) {
        sendTimingHeaders(
          perf,
          this,
          expressRouteTemplate(req as Parameters<typeof expressRouteTemplate>[0]),
        );
      }
      return Reflect.apply(writeHead, this, args) as ServerResponse;
    },
  });
  HOOKED.add(proto);
  return true;
}

/**
 * Has the timing headers of `perf` sent before the head of `res` from the Express app's response
 * prototype. False when that cannot be done (a plain Node response, whose prototype every response
 * of the process shares, or a prototype whose writeHead cannot be replaced): hook the response.
 */
export function timingHeadersFromPrototype(
  req: IncomingMessage,
  res: ServerResponse,
  perf: RequestPerfImpl,
): boolean {
  const proto = Object.getPrototypeOf(res) as object | null;
  if (proto === null || !Object.hasOwn(proto, "app")) return false;
  if (!HOOKED.has(proto) && (REFUSED.has(proto) || !install(proto))) return false;
  HANDLES.set(req, perf);
  return true;
}
