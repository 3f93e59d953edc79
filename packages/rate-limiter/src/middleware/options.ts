import type { TrustProxy } from "@keel/http";
import type { RateLimiterOptions } from "../options.js";
import type { RateLimiter } from "../rate-limiter.js";
import type { RateLimitResult } from "../result.js";
import type { HeadersMode } from "./headers.js";

/**
 * Options of `rateLimitMiddleware` in every framework. The limiter options (`limit`, `window` in
 * seconds, `algorithm`, `store`, `policies`, `blockDuration`, `onStoreError`, `insurance`, ...) are
 * those of {@link createRateLimiter}; or pass a ready `limiter` instead.
 *
 * @typeParam Req - what the framework hands the callbacks: Express `req`, Fastify `request`, Hono's
 *   context `c`, Koa's `ctx`, node:http `req`.
 * @typeParam Handler - the framework's shape of `handler`.
 * @example
 * ```ts
 * const options: RateLimitMiddlewareOptions<Request> = {
 *   limit: 100,
 *   window: 60,
 *   trustProxy: "loopback",
 *   skip: (req) => req.path === "/health",
 * };
 * ```
 */
export interface RateLimitMiddlewareOptions<Req, Handler = never> extends RateLimiterOptions {
  /** A limiter to use instead of creating one; it is not closed by the middleware. */
  readonly limiter?: RateLimiter;
  /**
   * The key a request is counted under. Must return a non-empty string.
   * @default `user:<id>` for a signed-in user (`user.id`, `user.userId` or `userId`, as set by
   * authentication, which must run first), else `ip:<client address>` with IPv6 grouped by `ipv6Subnet`
   */
  readonly keyGenerator?: (req: Req) => string | Promise<string>;
  /** The `message` of the 429 JSON body. @default "Too many requests, please try again later." */
  readonly message?: string | ((result: RateLimitResult) => string);
  /** The status of a refusal. @default 429 */
  readonly statusCode?: number;
  /** Which rate-limit headers to send (see {@link HeadersMode}). @default "both" */
  readonly headers?: HeadersMode;
  /**
   * Which proxies may name the client in `X-Forwarded-For` / `Forwarded`, as Express's `trust proxy`:
   * `false` (never read them), `true`, a hop count, addresses or CIDR ranges (`"loopback"`,
   * `"uniquelocal"`, `"10.0.0.0/8"`), or a function. A spoofed header never changes the key when
   * its sender is not trusted.
   * @default false
   */
  readonly trustProxy?: TrustProxy;
  /** Prefix length IPv6 clients are grouped by, so one host cannot rotate addresses; `false` = /128. @default 56 */
  readonly ipv6Subnet?: number | false;
  /** Prefix length IPv4 clients are grouped by. @default 32 (one address) */
  readonly ipv4Subnet?: number;
  /** Requests for which this returns true are neither counted nor limited (no headers either). */
  readonly skip?: (req: Req) => boolean | Promise<boolean>;
  /** Units a request spends: a non-negative integer, or a function of the request. @default 1 */
  readonly cost?: number | ((req: Req) => number | Promise<number>);
  /** Give successful requests' units back once the response is sent, so only failures count. @default false */
  readonly skipSuccessfulRequests?: boolean;
  /** Give failed (and aborted) requests' units back, so only successes count. @default false */
  readonly skipFailedRequests?: boolean;
  /** What counts as a success for the two options above. @default status < 400 */
  readonly requestWasSuccessful?: (statusCode: number) => boolean;
  /**
   * Answers a refused request instead of the default 429 JSON `{ error, message, retryAfter }`. The
   * rate-limit headers and `Retry-After` are already set when it runs.
   */
  readonly handler?: Handler;
}

/** The option names that belong to the middleware rather than to the limiter. */
export const MIDDLEWARE_OPTIONS: ReadonlySet<string> = new Set([
  "limiter",
  "keyGenerator",
  "message",
  "statusCode",
  "headers",
  "trustProxy",
  "ipv6Subnet",
  "ipv4Subnet",
  "skip",
  "cost",
  "skipSuccessfulRequests",
  "skipFailedRequests",
  "requestWasSuccessful",
  "handler",
]);
