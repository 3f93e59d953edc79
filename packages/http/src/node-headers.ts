import type { ServerResponse } from "node:http";
import { checkHeaders, type HeaderValue } from "./header-check.js";
import { addHeadHook } from "./node-response-tap.js";

/**
 * Sets response headers unless the head has already gone out, instead of throwing
 * `ERR_HTTP_HEADERS_SENT` as `res.setHeader` does then.
 *
 * @param res - the response
 * @param headers - names (any case) to values; a list of strings sends the header once per item
 * @returns `true` when the headers were set, `false` when the head was already sent
 * @throws {@link HttpError} `ERR_KEEL_HTTP_HEADER` for a name or value HTTP cannot carry, before
 *   any header is set
 *
 * @example
 * ```ts
 * import { setNodeHeaders } from "@keel/http";
 * import type { ServerResponse } from "node:http";
 *
 * function addLimitHeaders(res: ServerResponse): void {
 *   if (!setNodeHeaders(res, { "RateLimit-Limit": 100, "RateLimit-Remaining": 99 })) {
 *     console.warn("too late: the response head was already sent");
 *   }
 * }
 * ```
 */
export function setNodeHeaders(res: ServerResponse, headers: Readonly<Record<string, HeaderValue>>): boolean {
  checkHeaders(headers);
  if (res.headersSent) return false;
  for (const [name, value] of Object.entries(headers)) {
    res.setHeader(name, typeof value === "object" ? [...value] : value);
  }
  return true;
}

/**
 * Runs `fn` once, just before the status line and headers of `res` are sent, so headers that
 * depend on the whole handler (X-Response-Time, Server-Timing, RateLimit-*) can still be set.
 *
 * It covers every way Node sends a head: an explicit `res.writeHead()` (with or without a headers
 * argument) and the implicit head of the first `write()`, `end()` or `flushHeaders()`. Frameworks
 * are covered through the Node response they write to: Express `res`, Koa `ctx.res`, Fastify
 * `reply.raw`.
 *
 * - When `fn` runs, `res.statusCode` is the status being sent, and headers passed to
 *   `writeHead(status, headers)` are already set; what `fn` sets is sent as it set it.
 * - Several hooks on one response run in registration order, each exactly once; a hook registered
 *   by another hook runs in the same pass.
 * - A hook that throws does not stop the response: the other hooks run, the head is sent, and the
 *   error is emitted as a process warning, an {@link HttpError} with code
 *   `ERR_KEEL_HTTP_HEAD_HOOK` and the thrown value as `cause` (`process.on("warning", ...)`).
 *
 * @param res - the response
 * @param fn - the hook; it should only set or remove headers
 * @returns `true` when `fn` will run, `false` when the head was already sent (`fn` never runs)
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { beforeNodeHead } from "@keel/http";
 *
 * createServer((req, res) => {
 *   const start = performance.now();
 *   beforeNodeHead(res, () => res.setHeader("X-Response-Time", `${(performance.now() - start).toFixed(1)}ms`));
 *   res.end("hello");
 * });
 * ```
 */
export function beforeNodeHead(res: ServerResponse, fn: (res: ServerResponse) => void): boolean {
  if (res.headersSent) return false;
  addHeadHook(res, fn);
  return true;
}
