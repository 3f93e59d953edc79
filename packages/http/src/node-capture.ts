import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { HttpError } from "./errors.js";
import { onResponseDone, tapChunks, tapHead } from "./node-response-tap.js";

/**
 * A response as {@link captureNodeBody} saw it go out.
 *
 * @example
 * ```ts
 * import type { CapturedResponse } from "@keel/http";
 *
 * const cacheable = (captured: CapturedResponse): boolean =>
 *   captured.statusCode === 200 && captured.headers["set-cookie"] === undefined;
 * ```
 */
export interface CapturedResponse {
  /** The status code sent. */
  readonly statusCode: number;
  /** The response headers, names in lower case, as `res.getHeaders()` returned them at the end. */
  readonly headers: OutgoingHttpHeaders;
  /**
   * The body bytes passed to `write()`/`end()`. A middleware that wraps those methods (compression)
   * and was installed before the capture encodes after the capture saw the bytes, while its
   * `Content-Encoding` header is in `headers`: store such responses only when `content-encoding`
   * is absent, or install the capture first.
   */
  readonly body: Buffer;
}

/**
 * Options for {@link captureNodeBody}.
 *
 * @example
 * ```ts
 * import type { CaptureOptions } from "@keel/http";
 *
 * const options: CaptureOptions = { maxBytes: 1024 * 1024 };
 * ```
 */
export interface CaptureOptions {
  /**
   * The largest body kept, in bytes. Past it, buffering stops and the capture gives `undefined`;
   * the response itself is not affected. 0 captures only empty bodies.
   */
  readonly maxBytes: number;
}

/**
 * Keeps a copy of the body a response writes, for a response cache: strings in any encoding,
 * Buffers and streams piped into the response, through Express `res.send`, Koa `ctx.body`,
 * Fastify `reply.send` (via `reply.raw`) and plain `node:http` alike.
 *
 * The response is never altered or delayed. The promise resolves when the response finishes, to
 * the captured response, or to `undefined` when the body went past `maxBytes`, the connection
 * closed first, or the head had already been sent when the capture began (the body could be
 * incomplete). `HEAD`, 204 and 304 responses capture an empty body, since Node sends none.
 *
 * @param res - the response, before the handler writes to it
 * @param options - the size limit; see {@link CaptureOptions}
 * @returns the captured response, or `undefined`
 * @throws {@link HttpError} `ERR_KEEL_HTTP_MAX_BYTES` when `maxBytes` is not a non-negative
 *   integer (thrown at once, not as a rejection)
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { captureNodeBody } from "@keel/http";
 *
 * createServer((req, res) => {
 *   captureNodeBody(res, { maxBytes: 64 * 1024 }).then((captured) => {
 *     if (captured?.statusCode === 200) console.log("cache", req.url, captured.body.length, "bytes");
 *   });
 *   res.end(JSON.stringify({ success: true, data: [] }));
 * });
 * ```
 */
export function captureNodeBody(
  res: ServerResponse,
  options: CaptureOptions,
): Promise<CapturedResponse | undefined> {
  const maxBytes = options?.maxBytes;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new HttpError(
      "ERR_KEEL_HTTP_MAX_BYTES",
      `captureNodeBody: maxBytes must be a non-negative integer number of bytes, got ${String(maxBytes)}`,
    );
  }
  // writeHead too: its headers argument must land where getHeaders() sees it.
  tapHead(res);
  const tap = tapChunks(res);
  const complete = !res.headersSent;
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  const keep = (chunk: string | Uint8Array, encoding: BufferEncoding): void => {
    if (overflow) return;
    // A copy: the writer may reuse its buffer once write() returns.
    const bytes = typeof chunk === "string" ? Buffer.from(chunk, encoding) : Buffer.from(chunk);
    size += bytes.length;
    if (size > maxBytes) {
      overflow = true;
      chunks.length = 0;
      return;
    }
    chunks.push(bytes);
  };
  tap.addChunkListener(keep);
  return new Promise((resolve) => {
    onResponseDone(res, (aborted) => {
      tap.deleteChunkListener(keep);
      if (aborted || overflow || !complete) resolve(undefined);
      else
        resolve({ statusCode: res.statusCode, headers: res.getHeaders(), body: Buffer.concat(chunks, size) });
    });
  });
}
