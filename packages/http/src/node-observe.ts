import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { onResponseDone, tapChunks, tapHead } from "./node-response-tap.js";

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
  /**
   * The response headers, names in lower case, as `res.getHeaders()` returns them (read when first
   * accessed). Empty when observed with `headers: false`.
   */
  readonly headers: OutgoingHttpHeaders;
  /**
   * Body bytes handed to `write()`/`end()` since observation began (in bytes; strings counted in
   * their encoding). 0 for `HEAD`, 204 and 304, whose bodies Node drops. Framing (chunked
   * encoding) and headers are not counted; a compressing middleware installed after this observer
   * makes this the compressed size. Always 0 when observed with `bytes: false`.
   */
  readonly bytes: number;
  /** `true` when the connection closed before the response finished. */
  readonly aborted: boolean;
}

/**
 * What {@link observeNodeResponse} collects besides the status. Turning off what a caller does not
 * read saves CPU on every response: counting bytes wraps `res.write` and `res.end`, and the
 * headers need `res.writeHead` wrapped (to see a headers argument given to it).
 *
 * @example
 * ```ts
 * import type { ObserveNodeResponseOptions } from "@keel/http";
 *
 * const statusOnly: ObserveNodeResponseOptions = { bytes: false, headers: false };
 * ```
 */
export interface ObserveNodeResponseOptions {
  /**
   * Count body bytes into {@link NodeResponseInfo.bytes} (0 otherwise).
   * @default true
   */
  readonly bytes?: boolean;
  /**
   * Report the response headers in {@link NodeResponseInfo.headers} (an empty object otherwise).
   * @default true
   */
  readonly headers?: boolean;
}

class Info implements NodeResponseInfo {
  readonly statusCode: number;
  readonly bytes: number;
  readonly aborted: boolean;
  readonly #res: ServerResponse | undefined;
  #headers: OutgoingHttpHeaders | undefined;

  constructor(res: ServerResponse | undefined, statusCode: number, bytes: number, aborted: boolean) {
    this.#res = res;
    this.statusCode = statusCode;
    this.bytes = bytes;
    this.aborted = aborted;
  }

  get headers(): OutgoingHttpHeaders {
    this.#headers ??= this.#res === undefined ? {} : this.#res.getHeaders();
    return this.#headers;
  }
}

/**
 * Calls `fn` exactly once, when the response has been fully handed to the operating system
 * ('finish'), or when the connection closed before that (`aborted: true`): the hook for request
 * metrics and access logs.
 *
 * Register it before the handler writes; body bytes written earlier are not counted. A response
 * that is already over when this is called is reported on the next tick (`bytes` 0). An exception
 * from `fn` is not caught: it surfaces like any exception in an event listener. With
 * `{ bytes: false, headers: false }` (when only the status and the outcome matter) it wraps no
 * method of `res` at all and only listens for 'finish' and 'close'.
 *
 * @param res - the response
 * @param fn - receives the outcome
 * @param options - what to collect besides the status
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
export function observeNodeResponse(
  res: ServerResponse,
  fn: (info: NodeResponseInfo) => void,
  options?: ObserveNodeResponseOptions,
): void {
  const withHeaders = options?.headers !== false;
  if (withHeaders) tapHead(res);
  if (options?.bytes === false) {
    onResponseDone(res, (aborted) => {
      fn(new Info(withHeaders ? res : undefined, res.statusCode, 0, aborted));
    });
    return;
  }
  const tap = tapChunks(res);
  let bytes = 0;
  const count = (chunk: string | Uint8Array, encoding: BufferEncoding): void => {
    bytes += typeof chunk === "string" ? Buffer.byteLength(chunk, encoding) : chunk.byteLength;
  };
  tap.addChunkListener(count);
  onResponseDone(res, (aborted) => {
    tap.deleteChunkListener(count);
    fn(new Info(withHeaders ? res : undefined, res.statusCode, bytes, aborted));
  });
}
