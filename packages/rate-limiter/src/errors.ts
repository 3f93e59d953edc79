/**
 * The stable codes a {@link RateLimiterError} carries. Match on `code`, never on the message.
 *
 * - `ERR_KEEL_RATE_LIMIT_OPTION`: an option given to a factory is invalid (the message names it).
 * - `ERR_KEEL_RATE_LIMIT_POLICY`: a policy is invalid or two policies share a name.
 * - `ERR_KEEL_RATE_LIMIT_KEY`: a key is not a non-empty string.
 * - `ERR_KEEL_RATE_LIMIT_COST`: a cost or refund amount is not a non-negative safe integer.
 * - `ERR_KEEL_RATE_LIMIT_STORE`: the store failed (the store's error is the `cause`).
 * - `ERR_KEEL_RATE_LIMIT_STORE_TIMEOUT`: the store did not answer within `storeTimeout`.
 * - `ERR_KEEL_RATE_LIMIT_STORE_REPLY`: the store answered something that is not a valid decision.
 * - `ERR_KEEL_RATE_LIMIT_CLOSED`: the limiter or store was used after `close()`.
 *
 * @example
 * ```ts
 * limiter.on("store-error", ({ error }) => {
 *   if (error.code === "ERR_KEEL_RATE_LIMIT_STORE_TIMEOUT") metrics.increment("rate_limit_timeouts");
 * });
 * ```
 */
export type RateLimiterErrorCode =
  | "ERR_KEEL_RATE_LIMIT_OPTION"
  | "ERR_KEEL_RATE_LIMIT_POLICY"
  | "ERR_KEEL_RATE_LIMIT_KEY"
  | "ERR_KEEL_RATE_LIMIT_COST"
  | "ERR_KEEL_RATE_LIMIT_STORE"
  | "ERR_KEEL_RATE_LIMIT_STORE_TIMEOUT"
  | "ERR_KEEL_RATE_LIMIT_STORE_REPLY"
  | "ERR_KEEL_RATE_LIMIT_CLOSED";

/**
 * The one error class of `@keel/rate-limiter`: a stable `code`, a message that says what was wrong
 * and how to fix it, and the underlying `cause` when there is one.
 *
 * @example
 * ```ts
 * import { createRateLimiter, RateLimiterError } from "@keel/rate-limiter";
 *
 * try {
 *   createRateLimiter({ limit: 0, window: 60 });
 * } catch (error) {
 *   if (error instanceof RateLimiterError && error.code === "ERR_KEEL_RATE_LIMIT_OPTION") {
 *     console.error(error.message); // "limit must be a positive integer, got 0"
 *   }
 * }
 * ```
 */
export class RateLimiterError extends Error {
  /** The stable code to match on. */
  readonly code: RateLimiterErrorCode;

  constructor(code: RateLimiterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RateLimiterError";
    this.code = code;
  }
}

/** Formats a bad value for an error message without throwing on odd inputs. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  if (typeof value === "bigint") return `${value}n`;
  return Array.isArray(value) ? "an array" : "an object";
}
