import type { ServerResponse } from "node:http";
import { checkHeaders } from "./header-check.js";
import { checkReplyStatus, statusForbidsBody } from "./reply-status.js";

/**
 * Answers a request at once and ends the response: a 429 from the rate limiter, a 304 or a cache
 * hit from the response cache.
 *
 * - `Content-Length` is set from the body (UTF-8 bytes for a string) unless `headers` has one.
 * - A `HEAD` request gets the headers, `Content-Length` included, and no body.
 * - 204, 205 and 304 replies get no body and no `Content-Length`.
 * - Hooks from {@link beforeNodeHead} run, and observers from {@link observeNodeResponse} see the
 *   reply, as for any response.
 *
 * @param res - the response
 * @param status - the status code, 200 to 599
 * @param headers - headers to send, names in any case; headers already set on `res` are kept
 *   unless these replace them
 * @param body - the body, or `undefined` for none
 * @returns `true` when the reply was sent, `false` when the head had already been sent or the
 *   response had ended (nothing is written then)
 * @throws {@link HttpError} `ERR_KEEL_HTTP_STATUS` for a status outside 200-599,
 *   `ERR_KEEL_HTTP_HEADER` for a header HTTP cannot carry; nothing is written then
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { sendNodeReply } from "@keel/http";
 *
 * createServer((req, res) => {
 *   const body = JSON.stringify({ message: "Too many requests", retryAfter: 30 });
 *   sendNodeReply(res, 429, { "Content-Type": "application/json", "Retry-After": "30" }, body);
 * });
 * ```
 */
export function sendNodeReply(
  res: ServerResponse,
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string | Uint8Array | undefined,
): boolean {
  checkReplyStatus(status);
  checkHeaders(headers);
  if (res.headersSent || res.writableEnded) return false;
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  if (statusForbidsBody(status)) {
    res.removeHeader("content-length");
    res.end();
    return true;
  }
  const callerLength = Object.keys(headers).some((name) => name.toLowerCase() === "content-length");
  if (!callerLength) res.setHeader("Content-Length", bytes?.byteLength ?? 0);
  if (bytes === undefined || res.req?.method === "HEAD") res.end();
  else res.end(bytes);
  return true;
}
