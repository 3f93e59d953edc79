import type { Cache } from "../cache-api.js";
import { type Clock, systemClock } from "../clock.js";
import { CacheError, describeValue } from "../errors.js";
import { defaultCache } from "./default-cache.js";

/**
 * The `Cache-Control` the middleware writes on responses it stores, so a CDN or browser may keep
 * them too. Every value is in seconds.
 *
 * @example
 * ```ts
 * const cdnOnly: CacheControlOptions = { maxAge: 0, sMaxAge: 3600, staleWhileRevalidate: 60 };
 * ```
 */
export interface CacheControlOptions {
  /** `max-age`: how long browsers (and CDNs without `s-maxage`) may reuse it. @default ttl */
  readonly maxAge?: number;
  /** `s-maxage`: how long shared caches may reuse it; never written for `private` routes. @default ttl */
  readonly sMaxAge?: number;
  /** `stale-while-revalidate`. @default staleTtl, omitted when there is none */
  readonly staleWhileRevalidate?: number;
}

/**
 * Options of `cacheMiddleware` in every framework; `cacheMiddleware(3600)` is `{ ttl: 3600 }`.
 * Checked when the middleware is created.
 *
 * @typeParam Req - what the callbacks receive: Express `req`, Fastify `request`, Hono's context
 *   `c`, Koa's `ctx`, node:http `req`.
 * @example
 * ```ts
 * const options: CacheMiddlewareOptions<Request> = {
 *   ttl: 300,
 *   private: true, // one entry per signed-in user
 *   tags: (req) => [`user:${req.user.id}`],
 * };
 * ```
 */
export interface CacheMiddlewareOptions<Req = unknown> {
  /**
   * The cache to keep responses in (`createCache({ store: redisStore(...) })` to share them between
   * processes). It is not closed by the middleware.
   * @default one `createCache()` shared by every middleware of the process, created on first use
   */
  readonly cache?: Cache;
  /**
   * `"route"`: responses stay fresh for `ttl` seconds, whatever their own headers say (the safety
   * rules still apply). `"http"`: a shared cache by RFC 9111, freshness taken only from the response
   * (`s-maxage`, `max-age`, `Expires`); for a reverse proxy in front of any origin.
   * @default "route"
   */
  readonly mode?: "route" | "http";
  /** Route mode: seconds a stored response is fresh. Required in route mode; not allowed in HTTP mode. */
  readonly ttl?: number;
  /**
   * Route mode: seconds after `ttl` during which the stale response is still served to other
   * requests while one request refreshes it, and instead of an error (5xx or a thrown handler).
   * @default none
   */
  readonly staleTtl?: number;
  /** Tags stored responses carry, for `cache.invalidateTags` / `invalidateCacheTags`. @default none */
  readonly tags?: readonly string[] | ((req: Req) => readonly string[]);
  /**
   * The part of the key that names the resource, in place of the path and sorted query. The user
   * (for `private`), the Vary headers and the implicit key headers are still added.
   * `invalidateCache(pattern)` matches it.
   * @default the path and the query, parameters sorted
   */
  readonly keyGenerator?: (req: Req) => string;
  /** Another name for `keyGenerator`. */
  readonly key?: (req: Req) => string;
  /**
   * Request headers that select the response besides those its own `Vary` names (both are used):
   * their values become part of the key, and the names are added to the response's `Vary`.
   * @default none
   */
  readonly vary?: readonly string[];
  /**
   * One entry per signed-in user: the key carries `userId(req)`, requests without a user are not
   * cached (BYPASS), and `Cache-Control: private` responses, Authorization and session cookies are
   * allowed. Mount it after authentication. Route mode only.
   * @default false
   */
  readonly private?: boolean;
  /**
   * The signed-in user of a request, for `private`.
   * @default `user.id`, `user.userId` or `userId` of `req` (Express, node:http), `request`
   *   (Fastify), `ctx.state` (Koa), `c.var` (Hono)
   */
  readonly userId?: (req: Req) => string | undefined;
  /** Status codes that may be stored: 2xx codes (206 excluded). @default [200] */
  readonly statuses?: readonly number[];
  /** The largest body stored, in bytes; larger responses pass through uncached. @default 1048576 (1 MiB) */
  readonly maxBodySize?: number;
  /**
   * Route mode: write `Cache-Control` on stored responses: `true` for `public, max-age=<ttl>,
   * s-maxage=<ttl>` (plus `stale-while-revalidate=<staleTtl>`; `private, max-age=<ttl>` for
   * private routes), or pick the values.
   * @default false (the handler's own Cache-Control is kept)
   */
  readonly cacheControl?: boolean | CacheControlOptions;
  /**
   * HTTP mode: heuristic freshness for responses with none of their own, as a fraction of the time
   * since their `Last-Modified` (RFC 9111 section 4.2.2 suggests 0.1).
   * @default false (no heuristic: such responses are not reused without validation)
   */
  readonly heuristic?: number | false;
  /**
   * Which cookies mark a signed-in session: a request carrying one is never answered from, nor
   * stored into, a shared entry. `false` treats no cookie as a session cookie.
   * @default /sess|sid|auth|token|jwt|login|remember/i (connect.sid, koa.sess, session, PHPSESSID, access_token, ...)
   */
  readonly sessionCookie?: RegExp | ((name: string) => boolean) | false;
  /**
   * How long a request waits, in milliseconds, for a concurrent request of the same key to produce
   * the response before running the handler itself. 0 turns coalescing off.
   * @default 5000
   */
  readonly waitTimeout?: number;
  /**
   * The time source (epoch milliseconds) for ages and freshness; give the cache the same one.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/** Options checked and completed. */
export interface ResolvedMiddlewareOptions<Req> {
  readonly cache: () => Cache;
  readonly http: boolean;
  readonly ttl: number;
  readonly staleTtl: number;
  readonly tags: (req: Req) => readonly string[];
  readonly keyGenerator: ((req: Req) => string) | undefined;
  readonly vary: readonly string[];
  readonly private: boolean;
  readonly userId: ((req: Req) => string | undefined) | undefined;
  readonly statuses: ReadonlySet<number>;
  readonly maxBodySize: number;
  readonly cacheControl: string | undefined;
  readonly heuristic: number;
  readonly sessionCookie: ((name: string) => boolean) | undefined;
  readonly waitTimeout: number;
  readonly clock: Clock;
}

const NAMES = new Set([
  "cache",
  "mode",
  "ttl",
  "staleTtl",
  "tags",
  "keyGenerator",
  "key",
  "vary",
  "private",
  "userId",
  "statuses",
  "maxBodySize",
  "cacheControl",
  "heuristic",
  "sessionCookie",
  "waitTimeout",
  "clock",
]);

const HTTP_MODE_FORBIDS = ["ttl", "staleTtl", "private", "cacheControl"] as const;
const DEFAULT_SESSION_COOKIE = /sess|sid|auth|token|jwt|login|remember/i;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function fail(message: string): never {
  throw new CacheError("ERR_KEEL_CACHE_OPTION", `cacheMiddleware: ${message}`);
}

function seconds(name: string, value: unknown, allowZero: boolean): number {
  const ok = typeof value === "number" && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0);
  if (!ok)
    fail(
      `${name} must be a ${allowZero ? "non-negative" : "positive"} number of seconds, got ${describeValue(value)}`,
    );
  return value as number;
}

function optionalFunction(name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function")
    fail(`${name} must be a function, got ${describeValue(value)}`);
}

function resolveTags<Req>(tags: CacheMiddlewareOptions<Req>["tags"]): (req: Req) => readonly string[] {
  if (tags === undefined) return () => [];
  if (typeof tags === "function") return tags;
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === "string"))
    fail(`tags must be an array of strings or a function of the request, got ${describeValue(tags)}`);
  const fixed = [...tags];
  return () => fixed;
}

function resolveVary(vary: unknown): readonly string[] {
  if (vary === undefined) return [];
  if (!Array.isArray(vary) || !vary.every((name) => typeof name === "string" && TOKEN.test(name)))
    fail(`vary must be an array of header names, got ${describeValue(vary)}`);
  return [...new Set((vary as string[]).map((name) => name.toLowerCase()))];
}

function resolveStatuses(statuses: unknown): ReadonlySet<number> {
  if (statuses === undefined) return new Set([200]);
  const valid = (code: unknown): boolean =>
    Number.isInteger(code) && (code as number) >= 200 && (code as number) <= 299 && code !== 206;
  if (!Array.isArray(statuses) || statuses.length === 0 || !statuses.every(valid))
    fail(
      `statuses must be a non-empty array of 2xx status codes (206 excluded): only successes are ever stored, got ${describeValue(statuses)}`,
    );
  return new Set(statuses as number[]);
}

function resolveSessionCookie(value: unknown): ((name: string) => boolean) | undefined {
  if (value === false) return undefined;
  const pattern = value ?? DEFAULT_SESSION_COOKIE;
  if (pattern instanceof RegExp) {
    // A copy without the g and y flags, whose lastIndex would make test() alternate.
    const regex = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
    return (name) => regex.test(name);
  }
  if (typeof pattern === "function") return pattern as (name: string) => boolean;
  return fail(`sessionCookie must be a RegExp, a function or false, got ${describeValue(value)}`);
}

function cacheControlHeader(
  value: unknown,
  ttl: number,
  staleTtl: number,
  isPrivate: boolean,
): string | undefined {
  if (value === undefined || value === false) return undefined;
  if (value !== true && (typeof value !== "object" || value === null))
    fail(
      `cacheControl must be a boolean or { maxAge, sMaxAge, staleWhileRevalidate }, got ${describeValue(value)}`,
    );
  const given = value === true ? {} : (value as CacheControlOptions);
  for (const name of Object.keys(given)) {
    if (!["maxAge", "sMaxAge", "staleWhileRevalidate"].includes(name))
      fail(
        `unknown cacheControl option ${JSON.stringify(name)}; use maxAge, sMaxAge and staleWhileRevalidate`,
      );
  }
  const whole = (name: string, v: unknown): number => {
    if (!Number.isSafeInteger(v) || (v as number) < 0)
      fail(`cacheControl.${name} must be a whole non-negative number of seconds, got ${describeValue(v)}`);
    return v as number;
  };
  const maxAge = whole("maxAge", given.maxAge ?? Math.floor(ttl));
  const parts = [isPrivate ? "private" : "public", `max-age=${maxAge}`];
  if (!isPrivate) parts.push(`s-maxage=${whole("sMaxAge", given.sMaxAge ?? Math.floor(ttl))}`);
  const swr = given.staleWhileRevalidate ?? (staleTtl > 0 ? Math.floor(staleTtl) : undefined);
  if (swr !== undefined) parts.push(`stale-while-revalidate=${whole("staleWhileRevalidate", swr)}`);
  return parts.join(", ");
}

function isCache(value: unknown): value is Cache {
  if (typeof value !== "object" || value === null) return false;
  const cache = value as Record<string, unknown>;
  return ["get", "set", "invalidate", "invalidateTags"].every((name) => typeof cache[name] === "function");
}

/** Checks `cacheMiddleware`'s argument eagerly and applies the defaults. */
export function resolveMiddlewareOptions<Req>(
  argument: number | CacheMiddlewareOptions<Req>,
): ResolvedMiddlewareOptions<Req> {
  const options: CacheMiddlewareOptions<Req> = typeof argument === "number" ? { ttl: argument } : argument;
  if (typeof options !== "object" || options === null)
    fail(`pass a TTL in seconds or an options object, got ${describeValue(argument)}`);
  for (const name of Object.keys(options)) {
    if (!NAMES.has(name))
      fail(`unknown option ${JSON.stringify(name)}; options are ${[...NAMES].join(", ")}`);
  }
  const mode = options.mode ?? "route";
  if (mode !== "route" && mode !== "http") fail(`mode must be "route" or "http", got ${describeValue(mode)}`);
  const http = mode === "http";
  if (http) {
    for (const name of HTTP_MODE_FORBIDS) {
      if (options[name] !== undefined)
        fail(`${name} is a route-mode option: in HTTP mode freshness and visibility come from the response`);
    }
  } else if (options.heuristic !== undefined) {
    fail("heuristic is an HTTP-mode option: in route mode, ttl sets freshness");
  }
  if (!http && options.ttl === undefined)
    fail("ttl is required in route mode: cacheMiddleware(3600) or { ttl: 3600 } (seconds)");
  const ttl = http ? 0 : seconds("ttl", options.ttl, false);
  const staleTtl = options.staleTtl === undefined ? 0 : seconds("staleTtl", options.staleTtl, true);
  if (options.cache !== undefined && !isCache(options.cache))
    fail("cache must be a Cache made by createCache()");
  if (options.keyGenerator !== undefined && options.key !== undefined)
    fail("give keyGenerator or key, not both (they are the same option)");
  const keyGenerator = options.keyGenerator ?? options.key;
  optionalFunction("keyGenerator", keyGenerator);
  optionalFunction("userId", options.userId);
  if (options.private !== undefined && typeof options.private !== "boolean")
    fail(`private must be a boolean, got ${describeValue(options.private)}`);
  const maxBodySize = options.maxBodySize ?? 1024 * 1024;
  if (!Number.isSafeInteger(maxBodySize) || maxBodySize < 0)
    fail(`maxBodySize must be a whole non-negative number of bytes, got ${describeValue(maxBodySize)}`);
  const waitTimeout = options.waitTimeout ?? 5000;
  if (typeof waitTimeout !== "number" || !(waitTimeout >= 0) || waitTimeout > 2 ** 31 - 1)
    fail(
      `waitTimeout must be a number of milliseconds from 0 to 2147483647, got ${describeValue(waitTimeout)}`,
    );
  const heuristic = options.heuristic ?? false;
  if (heuristic !== false && !(typeof heuristic === "number" && heuristic > 0 && heuristic <= 1))
    fail(`heuristic must be false or a fraction in (0, 1], got ${describeValue(heuristic)}`);
  const clock = options.clock ?? systemClock;
  if (typeof clock !== "object" || clock === null || typeof clock.now !== "function")
    fail(
      `clock must be an object with a now() method returning epoch milliseconds, got ${describeValue(clock)}`,
    );
  const isPrivate = options.private === true;
  const given = options.cache;
  return {
    cache: given === undefined ? defaultCache : () => given,
    http,
    ttl,
    staleTtl,
    tags: resolveTags(options.tags),
    keyGenerator,
    vary: resolveVary(options.vary),
    private: isPrivate,
    userId: options.userId,
    statuses: resolveStatuses(options.statuses),
    maxBodySize,
    cacheControl: cacheControlHeader(options.cacheControl, ttl, staleTtl, isPrivate),
    heuristic: heuristic === false ? 0 : heuristic,
    sessionCookie: resolveSessionCookie(options.sessionCookie),
    waitTimeout,
    clock,
  };
}
