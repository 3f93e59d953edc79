import type { IncomingMessage } from "node:http";
import { type RequestView, splitTarget } from "./request-view.js";

/**
 * A {@link RequestView} over a Node request: plain `node:http`, Express (`req`), Koa (`ctx.req`)
 * and Fastify (`request.raw`).
 *
 * The path comes from Express's `req.originalUrl` when present, since Express rewrites `req.url`
 * inside mounted routers. Method and socket address are read when the view is made (a closed
 * socket forgets its peer), path and query on first use, headers on each call.
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
  return new NodeRequestView(req);
}

// A class with the target split on first use: the rate limiter's default key reads only the
// socket address, and one object per request is all a view then costs.
class NodeRequestView implements RequestView {
  readonly method: string;
  readonly remoteAddress: string | undefined;
  readonly #req: IncomingMessage;
  #target: { path: string; query: string } | undefined;

  constructor(req: IncomingMessage) {
    this.#req = req;
    const method = req.method ?? "GET";
    this.method = method === "GET" ? method : method.toUpperCase();
    this.remoteAddress = req.socket?.remoteAddress;
  }

  get path(): string {
    return this.#split().path;
  }

  get query(): string {
    return this.#split().query;
  }

  header(name: string): string | undefined {
    const value = this.#req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(", ") : value;
  }

  #split(): { path: string; query: string } {
    if (this.#target === undefined) {
      const original = (this.#req as IncomingMessage & { originalUrl?: unknown }).originalUrl;
      this.#target = splitTarget(typeof original === "string" ? original : (this.#req.url ?? "/"));
    }
    return this.#target;
  }
}
