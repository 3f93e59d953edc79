// Internal: the status codes a short-circuit reply may carry, and which of them carry no body.
import { HttpError } from "./errors.js";

/** Throws ERR_KEEL_HTTP_STATUS unless `status` is an integer from 200 to 599. */
export function checkReplyStatus(status: number): void {
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new HttpError(
      "ERR_KEEL_HTTP_STATUS",
      `a reply status must be an integer from 200 to 599, got ${String(status)}`,
    );
  }
}

/** 204 No Content, 205 Reset Content and 304 Not Modified never carry a body (RFC 9110). */
export function statusForbidsBody(status: number): boolean {
  return status === 204 || status === 205 || status === 304;
}
