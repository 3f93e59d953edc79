/**
 * The stable codes an {@link HttpError} carries. Match on `code`, never on the message.
 *
 * - `ERR_KEEL_HTTP_TRUST_PROXY`: a `trustProxy` setting that is not a boolean, a hop count, an IP
 *   address, a CIDR range, a named range or a function.
 * - `ERR_KEEL_HTTP_IP_PREFIX`: a subnet prefix length outside 0-32 (IPv4) or 0-128 (IPv6).
 * - `ERR_KEEL_HTTP_INVALID_IP`: a string that had to be an IP address and was not.
 * - `ERR_KEEL_HTTP_STATUS`: a status code a reply cannot carry.
 * - `ERR_KEEL_HTTP_HEADER`: a header name or value that HTTP does not allow.
 * - `ERR_KEEL_HTTP_MAX_BYTES`: a body size limit that is not a non-negative integer.
 * - `ERR_KEEL_HTTP_HEAD_HOOK`: a {@link beforeNodeHead} hook threw; emitted as a process warning
 *   (`process.on("warning")`), not thrown, since the response must still go out.
 * - `ERR_KEEL_HTTP_PROPERTY`: a {@link requestProperty} name that is not a non-empty string.
 * - `ERR_KEEL_HTTP_TIMEOUT`: a {@link CallDeadlines} timeout that is not a positive number of milliseconds.
 *
 * @example
 * ```ts
 * import { HttpError, type HttpErrorCode } from "@keel/http";
 *
 * const isConfigError = (error: unknown): boolean =>
 *   error instanceof HttpError && (["ERR_KEEL_HTTP_TRUST_PROXY"] as HttpErrorCode[]).includes(error.code);
 * ```
 */
export type HttpErrorCode =
  | "ERR_KEEL_HTTP_TRUST_PROXY"
  | "ERR_KEEL_HTTP_IP_PREFIX"
  | "ERR_KEEL_HTTP_INVALID_IP"
  | "ERR_KEEL_HTTP_STATUS"
  | "ERR_KEEL_HTTP_HEADER"
  | "ERR_KEEL_HTTP_MAX_BYTES"
  | "ERR_KEEL_HTTP_HEAD_HOOK"
  | "ERR_KEEL_HTTP_PROPERTY"
  | "ERR_KEEL_HTTP_TIMEOUT";

/**
 * The one error class of `@keel/http`: a stable {@link HttpErrorCode}, a message that says what was
 * wrong and how to fix it, and the underlying `cause` when there is one.
 *
 * Thrown when options are validated (eagerly, by the function that receives them), never later
 * while a request is being served.
 *
 * @example
 * ```ts
 * import { compileTrustProxy, HttpError } from "@keel/http";
 *
 * try {
 *   compileTrustProxy("10.0.0.0/33");
 * } catch (error) {
 *   if (error instanceof HttpError) console.error(error.code); // "ERR_KEEL_HTTP_TRUST_PROXY"
 * }
 * ```
 */
export class HttpError extends Error {
  /** Which rule was broken; stable across releases. */
  readonly code: HttpErrorCode;

  /**
   * @param code - the stable code
   * @param message - what was wrong and how to fix it
   * @param options - `cause`: the error this one wraps
   */
  constructor(code: HttpErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HttpError";
    this.code = code;
  }
}
