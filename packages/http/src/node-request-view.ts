import type { IncomingMessage } from "node:http";
import { type RequestView, splitTarget } from "./request-view.js";

/**
 * A {@link RequestView} over a Node request: plain `node:http`, Express (`req`), Koa (`ctx.req`)
 * and Fastify (`request.raw`).
 *
 * The path comes from Express's `req.originalUrl` when present, since Express rewrites `req.url`
 * inside mounted routers. Method, path, query and socket address are read once, when the view is
 * made (a closed socket forgets its peer); headers are read on each call.
 *
 * @param req - the incoming message
 * @returns a view that reads `req`; it never changes `req`
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { nodeRequestView } from "@keel/http";
 *
 * createServer((req, res) => {
 *   const view = nodeRequestView(req);
 *   res.end(`${view.method} ${view.path} from ${view.remoteAddress}`);
 * });
 * ```
 */
export function nodeRequestView(req: IncomingMessage): RequestView {
  const original = (req as IncomingMessage & { originalUrl?: unknown }).originalUrl;
  const { path, query } = splitTarget(typeof original === "string" ? original : (req.url ?? "/"));
  const method = (req.method ?? "GET").toUpperCase();
  const remoteAddress = req.socket?.remoteAddress;
  return {
    method,
    path,
    query,
    remoteAddress,
    header(name) {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(", ") : value;
    },
  };
}
