import type { ErrorRequestHandler, RequestHandler } from "express";
import { ApiError } from "./api-error.js";

/** What the error handler reports a 5xx to: the API never sends internals to the client. */
export type ErrorLogger = (message: string, error: unknown) => void;

// node-postgres and PGlite errors that mean "the database cannot serve now", not "the query is
// wrong": refused or lost connections, pool checkout timeouts, server shutting down or full.
// The Keel codes: a request still running while the app shuts down finds the limiter or the
// cache closed under it (its client is usually gone already).
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EPIPE",
  "ERR_KEEL_RATE_LIMIT_CLOSED",
  "ERR_KEEL_CACHE_CLOSED",
]);
const UNAVAILABLE_SQLSTATES = /^(08|53|57P0)/; // connection exception, insufficient resources, admin shutdown
const UNAVAILABLE_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Cannot use a pool after calling end|PGlite is closed|Client has encountered a connection error and is not queryable|Client was closed and is not queryable/i;

/**
 * Whether an error says the database (or another backing service) is unreachable, saturated, or
 * already closed by a shutdown.
 */
export function isUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code))) {
      return true;
    }
    if (UNAVAILABLE_MESSAGES.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const http = error as { status?: unknown; type?: unknown; message?: unknown };
  // Errors of Express's body parser carry a status and a type.
  if (http.type === "entity.parse.failed") {
    return new ApiError(400, "VALIDATION_FAILED", "body is not valid JSON", { field: "body" });
  }
  if (http.type === "entity.too.large") {
    return new ApiError(413, "PAYLOAD_TOO_LARGE", "body is larger than the 100 kB the API accepts", {
      field: "body",
    });
  }
  if (typeof http.status === "number" && http.status >= 400 && http.status < 500) {
    return new ApiError(http.status, "VALIDATION_FAILED", String(http.message ?? "bad request"));
  }
  if (isUnavailable(error)) {
    return new ApiError(503, "SERVICE_UNAVAILABLE", "the database is unavailable; try again shortly", {
      cause: error,
    });
  }
  return new ApiError(500, "INTERNAL", "internal error", { cause: error });
}

/**
 * The last middleware: every error (thrown, rejected, or passed to `next`) becomes a JSON
 * `{ success: false, error }` with its status; a 5xx is logged and never shows internals, a 503
 * carries `Retry-After`. The process never crashes on a request's error.
 *
 * @example
 * ```ts
 * app.use(notFoundHandler);
 * app.use(errorHandler(console.error));
 * ```
 */
export function errorHandler(log: ErrorLogger): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) {
      next(error); // Express closes the connection
      return;
    }
    const apiError = toApiError(error);
    // A 503 is expected weather (a database restart, a shutdown): one line, not a stack trace.
    if (apiError.status === 503) log(`503 ${apiError.code}: ${(error as Error).message}`, undefined);
    else if (apiError.status >= 500) log(`${apiError.status} ${apiError.code}`, error);
    if (apiError.status === 503) res.setHeader("Retry-After", "5");
    res.status(apiError.status).json({
      success: false,
      error: {
        code: apiError.code,
        message: apiError.message,
        ...(apiError.field === undefined ? {} : { field: apiError.field }),
      },
    });
  };
}

/** Answers every request no route matched with a JSON 404. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, "NOT_FOUND", `no route for ${req.method} ${req.path}`));
};
