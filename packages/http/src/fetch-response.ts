import { checkHeaders } from "./header-check.js";
import { checkReplyStatus, statusForbidsBody } from "./reply-status.js";

/**
 * Adds headers to a Fetch `Response`, replacing headers of the same name.
 *
 * Headers are set in place when the response allows it, and the same response is returned. A
 * response with immutable headers (one from `fetch()`, `Response.redirect()`, some frameworks'
 * cached responses) is copied first: same status, status text, headers and body stream; the copy
 * loses `url`, `redirected` and `type`, which only describe responses fetched over the network.
 * Network-error and opaque responses (status 0) cannot carry headers and are returned unchanged.
 *
 * @param response - the response; when copied, its body stream moves to the copy
 * @param headers - names (any case) to values
 * @returns `response` itself, or a copy carrying the headers
 * @throws {@link HttpError} `ERR_KEEL_HTTP_HEADER` for a name or value HTTP cannot carry, before
 *   anything is changed
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { withHeaders } from "@keel/http";
 *
 * const app = new Hono();
 * app.use(async (c, next) => {
 *   await next();
 *   c.res = withHeaders(c.res, { "X-Served-By": "keel" });
 * });
 * ```
 */
export function withHeaders(response: Response, headers: Readonly<Record<string, string>>): Response {
  checkHeaders(headers);
  const entries = Object.entries(headers);
  if (entries.length === 0 || response.status === 0) return response;
  try {
    for (const [name, value] of entries) response.headers.set(name, value);
    return response;
  } catch {
    // Headers were validated above, so the only failure left is the immutable guard.
  }
  const copy = new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  for (const [name, value] of entries) copy.headers.set(name, value);
  return copy;
}

/**
 * A short-circuit reply for the Fetch transport (Hono, Web-standard runtimes): a 429 from the
 * rate limiter, a 304 or a cache hit from the response cache.
 *
 * 204, 205 and 304 replies are built without a body whatever `body` is, as the Fetch standard
 * requires. The runtime sets `Content-Length`; Hono and Web servers drop the body of a reply to a
 * `HEAD` request.
 *
 * @param status - the status code, 200 to 599 (the range a Fetch `Response` may have)
 * @param headers - names (any case) to values
 * @param body - the body, or `null` for none
 * @returns a new response with mutable headers
 * @throws {@link HttpError} `ERR_KEEL_HTTP_STATUS` for a status outside 200-599,
 *   `ERR_KEEL_HTTP_HEADER` for a header HTTP cannot carry
 *
 * @example
 * ```ts
 * import { fetchReply } from "@keel/http";
 *
 * const tooMany = fetchReply(
 *   429,
 *   { "Content-Type": "application/json", "Retry-After": "30" },
 *   JSON.stringify({ message: "Too many requests", retryAfter: 30 }),
 * );
 * ```
 */
export function fetchReply(
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string | Uint8Array | null,
): Response {
  checkReplyStatus(status);
  checkHeaders(headers);
  const content = statusForbidsBody(status) ? null : (body as BodyInit | null);
  return new Response(content, { status, headers });
}
