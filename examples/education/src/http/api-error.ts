/** The stable codes of the API's error responses (`error.code` in the JSON body). */
export type ApiErrorCode =
  | "VALIDATION_FAILED"
  | "NOT_FOUND"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL";

/**
 * An error the API answers with its own status: thrown by handlers and turned into
 * `{ success: false, error: { code, message, field? } }` by the error handler.
 *
 * @example
 * ```ts
 * throw new ApiError(400, "VALIDATION_FAILED", "email must be an email address", { field: "email" });
 * ```
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  /** The HTTP status to answer with. */
  readonly status: number;
  /** Stable machine-readable code. */
  readonly code: ApiErrorCode;
  /** The request field that was wrong (`body.email`, `params.slug`, ...), for 400s. */
  readonly field: string | undefined;

  constructor(
    status: number,
    code: ApiErrorCode,
    message: string,
    options: { field?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = status;
    this.code = code;
    this.field = options.field;
  }
}

/** A 400 naming the field that is wrong. */
export const invalid = (field: string, message: string): ApiError =>
  new ApiError(400, "VALIDATION_FAILED", `${field} ${message}`, { field });

/** A 404 for a named thing that does not exist. */
export const notFound = (what: string): ApiError => new ApiError(404, "NOT_FOUND", `${what} not found`);

/** A 401: no valid credentials. */
export const unauthorized = (message: string): ApiError => new ApiError(401, "UNAUTHORIZED", message);
