import { type RequestView, splitTarget } from "./request-view.js";

/**
 * A {@link RequestView} over a Fetch `Request`: Hono (`c.req.raw`), Deno, Bun, Cloudflare Workers
 * and any other Web-standard runtime.
 *
 * The path and query are those of `request.url`, which the WHATWG URL parser has already
 * normalized (`/a/../b` is `/b`, spaces are percent-encoded). A `Request` does not know who sent it, so pass the socket peer when the runtime tells you
 * (Hono's `getConnInfo(c).remote.address`, Deno's `info.remoteAddr.hostname`); without it, client
 * IP rules fall back to `undefined`.
 *
 * @param request - the request
 * @param remoteAddress - the socket peer, when known
 * @returns a view that reads `request`; it never reads or locks the body
 *
 * @example
 * ```ts
 * import { fetchRequestView } from "@keel/http";
 *
 * const view = fetchRequestView(new Request("https://example.com/api/modules?page=2"), "203.0.113.7");
 * view.path; // "/api/modules"
 * view.query; // "page=2"
 * ```
 */
export function fetchRequestView(request: Request, remoteAddress?: string): RequestView {
  const { path, query } = splitTarget(request.url);
  return {
    method: request.method.toUpperCase(),
    path,
    query,
    remoteAddress,
    header(name) {
      return request.headers.get(name) ?? undefined;
    },
  };
}
