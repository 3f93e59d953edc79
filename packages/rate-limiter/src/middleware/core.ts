import {
  clientIpOf,
  compileTrustProxy,
  defaultUserId,
  ipSubnetKey,
  type RequestView,
  type TrustProxyFn,
} from "@keel/http";
import { describeValue, RateLimiterError } from "../errors.js";
import type { RateLimiterOptions } from "../options.js";
import { checkNow, createRateLimiter, type RateLimiter } from "../rate-limiter.js";
import type { RateLimitResult } from "../result.js";
import { type HeadersMode, rateLimitHeaders } from "./headers.js";
import { MIDDLEWARE_OPTIONS, type RateLimitMiddlewareOptions } from "./options.js";

/** What the middleware decided for one request; adapters turn it into their framework's response. */
export interface Verdict {
  /** The limiter's result. */
  readonly result: RateLimitResult;
  /** Headers to send with the response, whether it is admitted or refused. */
  readonly headers: Record<string, string>;
  /** The status of a refusal. */
  readonly status: number;
  /** The default refusal body: JSON `{ error, message, retryAfter }`. */
  readonly body: string;
  /** Whether the adapter must report the response's outcome through `settle`. */
  readonly observe: boolean;
  /** Reports the final status (or an aborted connection) so skip*Requests can refund. Call once. */
  settle(statusCode: number, aborted: boolean): void;
}

/** The framework-free middleware: options checked once, then one `decide` per request. */
export interface MiddlewareCore<Req> {
  /** The limiter in use (created from the options unless one was given). */
  readonly limiter: RateLimiter;
  /** Decides a request; undefined when `skip` says to leave it alone. */
  decide(req: Req, view: RequestView, user: unknown): Verdict | undefined | Promise<Verdict | undefined>;
}

/** `settle` of a verdict that needs no outcome: one shared function, no closure per request. */
function ignore(): void {}

/** Client addresses whose rate-limit key is kept; past it the cache starts over. */
const IP_KEY_CACHE_SIZE = 4096;

const HEADER_MODES: readonly unknown[] = ["legacy", "draft", "both", false];

function fail(message: string, cause?: unknown): never {
  throw new RateLimiterError("ERR_KEEL_RATE_LIMIT_OPTION", `rateLimitMiddleware: ${message}`, { cause });
}

function optionalFunction(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== "function")
    fail(`${name} must be a function, got ${describeValue(value)}`);
}

function prefix(value: unknown, name: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (value === false && max === 128) return 128;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > max) {
    fail(
      `${name} must be an integer from 0 to ${max}${max === 128 ? " or false" : ""}, got ${describeValue(value)}`,
    );
  }
  return value as number;
}

function compileTrust(trust: RateLimitMiddlewareOptions<unknown>["trustProxy"]): TrustProxyFn {
  try {
    return compileTrustProxy(trust);
  } catch (error) {
    return fail((error as Error).message, error);
  }
}

/**
 * Checks the options eagerly and builds the core every adapter shares: key, skip, cost, headers,
 * refusal body, and the refund of skipped outcomes.
 */
export function createMiddlewareCore<Req>(
  options: RateLimitMiddlewareOptions<Req, unknown>,
): MiddlewareCore<Req> {
  if (typeof options !== "object" || options === null)
    fail(`options must be an object, got ${describeValue(options)}`);
  const limiterOptions: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options))
    if (!MIDDLEWARE_OPTIONS.has(name)) limiterOptions[name] = value;
  const { keyGenerator, skip, cost = 1, requestWasSuccessful = (status: number) => status < 400 } = options;
  const { statusCode = 429, headers: mode = "both" as HeadersMode, message } = options;
  if (options.limiter !== undefined && Object.keys(limiterOptions).length > 0) {
    fail(`give either limiter or limiter options (${Object.keys(limiterOptions).join(", ")}), not both`);
  }
  optionalFunction(keyGenerator, "keyGenerator");
  optionalFunction(skip, "skip");
  optionalFunction(options.handler, "handler");
  optionalFunction(requestWasSuccessful, "requestWasSuccessful");
  if (typeof cost !== "function" && (!Number.isSafeInteger(cost) || cost < 0)) {
    fail(`cost must be a non-negative integer or a function, got ${describeValue(cost)}`);
  }
  if (!Number.isInteger(statusCode) || statusCode < 400 || statusCode > 599) {
    fail(`statusCode must be an error status from 400 to 599, got ${describeValue(statusCode)}`);
  }
  if (!HEADER_MODES.includes(mode))
    fail(`headers must be "legacy", "draft", "both" or false, got ${describeValue(mode)}`);
  if (message !== undefined && typeof message !== "string" && typeof message !== "function") {
    fail(`message must be a string or a function of the result, got ${describeValue(message)}`);
  }
  const trust = compileTrust(options.trustProxy);
  const subnets = {
    ipv4Prefix: prefix(options.ipv4Subnet, "ipv4Subnet", 32) ?? 32,
    ipv6Prefix: prefix(options.ipv6Subnet, "ipv6Subnet", 128) ?? 56,
  };
  const limiter = options.limiter ?? createRateLimiter(limiterOptions as RateLimiterOptions);
  const refunds = options.skipSuccessfulRequests === true || options.skipFailedRequests === true;

  // Keys by client address, built once per address: the same clients come back on every request.
  const ipKeys = new Map<string, string>();

  function defaultKey(view: RequestView, user: unknown): string {
    const id = defaultUserId(user);
    if (id !== undefined) return `user:${id}`;
    const ip = clientIpOf(view, trust);
    if (ip === undefined) return "ip:unknown";
    let key = ipKeys.get(ip);
    if (key === undefined) {
      key = `ip:${ipSubnetKey(ip, subnets)}`;
      if (ipKeys.size >= IP_KEY_CACHE_SIZE) ipKeys.clear();
      ipKeys.set(ip, key);
    }
    return key;
  }

  function settler(key: string, units: number): (status: number, aborted: boolean) => void {
    let settled = false;
    return (status, aborted) => {
      if (settled) return;
      settled = true;
      const success = !aborted && requestWasSuccessful(status);
      if (
        (success && options.skipSuccessfulRequests === true) ||
        (!success && options.skipFailedRequests === true)
      ) {
        // A failed refund was already emitted and counted by the limiter (store-error, error).
        limiter.refund(key, units).catch(() => undefined);
      }
    };
  }

  function textOf(result: RateLimitResult): string {
    if (typeof message === "function") return message(result);
    return message ?? "Too many requests, please try again later.";
  }

  const now = (limiter as { [checkNow]?: (key: string) => RateLimitResult | Promise<RateLimitResult> })[
    checkNow
  ]?.bind(limiter);

  function verdictOf(key: string, units: number, result: RateLimitResult): Verdict {
    // Only an ordinary admission spent units that a refund may give back.
    const observe = refunds && result.allowed && result.reason === undefined && units > 0;
    return {
      result,
      headers: rateLimitHeaders(result, mode, limiter.clock.now()),
      status: statusCode,
      body: result.allowed
        ? ""
        : JSON.stringify({
            error: "Too Many Requests",
            message: textOf(result),
            retryAfter: Math.max(1, result.retryAfter),
          }),
      observe,
      settle: observe ? settler(key, units) : ignore,
    };
  }

  function checked(key: string, units: number): Verdict | Promise<Verdict> {
    // Cost 1, the common case, takes the limiter's fast path: no per-check options object, and no
    // promise at all when an in-process store decided.
    const result =
      units !== 1 ? limiter.check(key, { cost: units }) : now !== undefined ? now(key) : limiter.check(key);
    return isThenable(result)
      ? Promise.resolve(result).then((r) => verdictOf(key, units, r))
      : verdictOf(key, units, result);
  }

  function costed(req: Req, key: unknown): Verdict | Promise<Verdict> {
    if (typeof key !== "string" || key.length === 0) {
      throw new RateLimiterError(
        "ERR_KEEL_RATE_LIMIT_KEY",
        `rateLimitMiddleware: keyGenerator must return a non-empty string, got ${describeValue(key)}`,
      );
    }
    const units = typeof cost === "function" ? cost(req) : cost;
    return isThenable(units)
      ? Promise.resolve(units).then((u) => checked(key, u))
      : checked(key, units as number);
  }

  function keyed(req: Req, view: RequestView, user: unknown): Verdict | Promise<Verdict> {
    const key = keyGenerator === undefined ? defaultKey(view, user) : keyGenerator(req);
    return isThenable(key) ? Promise.resolve(key).then((k) => costed(req, k)) : costed(req, key);
  }

  return {
    limiter,
    // Synchronous while nothing it calls returns a promise (no skip, the default key, a memory
    // store): then a check allocates no promise and waits for no microtask.
    decide(req, view, user) {
      if (skip === undefined) return keyed(req, view, user);
      const skipped = skip(req);
      if (isThenable(skipped))
        return Promise.resolve(skipped).then((s) => (s ? undefined : keyed(req, view, user)));
      return skipped ? undefined : keyed(req, view, user);
    },
  };
}

/**
 * Sets the verdict's headers on a Node response unless its head is out. They are built by this
 * package from numbers and policy names checked when the limiter was created, so unlike
 * `setNodeHeaders` this does not validate them again on every request.
 */
export function setVerdictHeaders(
  res: { readonly headersSent: boolean; setHeader(name: string, value: string): unknown },
  headers: Readonly<Record<string, string>>,
): void {
  if (res.headersSent) return;
  for (const name in headers) res.setHeader(name, headers[name] as string);
}

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === "function";
}
