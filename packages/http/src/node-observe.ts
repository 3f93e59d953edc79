import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { onResponseDone, tapResponse } from "./node-response-tap.js";

/**
 * What {@link observeNodeResponse} reports about a finished (or abandoned) response.
 *
 * @example
 * ```ts
 * import type { NodeResponseInfo } from "@keel/http";
 *
 * const describe = (info: NodeResponseInfo): string =>
 *   `${info.statusCode} ${info.bytes} bytes${info.aborted ? " (aborted)" : ""}`;
 * ```
 */
export interface NodeResponseInfo {
  /** The status code sent (or about to be sent, when the connection closed first). */
  readonly statusCode: number;
  /** The response headers, names in lower case, as `res.getHeaders()` returns them. */
  readonly headers: OutgoingHttpHeaders;
  /**
   * Body bytes handed to `write()`/`end()` since observation began (in bytes; strings counted in
   * their encoding). 0 for `HEAD`, 204 and 304, whose bodies Node drops. Framing (chunked
   * encoding) and headers are not counted; a compressing middleware installed after this observer
   * makes this the compressed size.
   */
  readonly bytes: number;
  /** `true` when the connection closed before the response finished. */
  readonly aborted: boolean;
}

/**
 * Calls `fn` exactly once, when the response has been fully handed to the operating system
 * ('finish'), or when the connection closed before that (`aborted: true`): the hook for request
 * metrics and access logs.
 *
 * Register it before the handler writes; body bytes written earlier are not counted. A response
 * that is already over when this is called is reported on the next tick (`bytes` 0). An exception
 * from `fn` is not caught: it surfaces like any exception in an event listener.
 *
 * @param res - the response
 * @param fn - receives the outcome
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { observeNodeResponse } from "@keel/http";
 *
 * createServer((req, res) => {
 *   const start = performance.now();
 *   observeNodeResponse(res, (info) => {
 *     console.log(req.method, req.url, info.statusCode, info.bytes, performance.now() - start);
 *   });
 *   res.end("hello");
 * });
 * ```
 */
export function observeNodeResponse(res: ServerResponse, fn: (info: NodeResponseInfo) => void): void {
  const tap = tapResponse(res);
  let bytes = 0;
  const count = (chunk: string | Uint8Array, encoding: BufferEncoding): void => {
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk, encoding) : chunk.byteLength;
  };
  tap.chunkListeners.add(count);
  onResponseDone(res, (aborted) => {
    tap.chunkListeners.delete(count);
    fn({ statusCode: res.statusCode, headers: res.getHeaders(), bytes, aborted });
  });
}
