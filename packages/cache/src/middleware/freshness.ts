// How long a response may be reused: RFC 9111 section 4.2 (freshness lifetime, age calculation,
// heuristic freshness) and RFC 5861 (stale-while-revalidate, stale-if-error) in HTTP mode; the
// route's ttl and staleTtl in route mode.
import { type Directives, deltaSeconds } from "./cache-control.js";
import { parseHttpDate } from "./http-date.js";
import type { StoredResponse } from "./stored-response.js";

/** The freshness fields of a {@link StoredResponse}. */
export type Freshness = Pick<
  StoredResponse,
  "initialAge" | "lifetime" | "staleWhileRevalidate" | "staleIfError" | "mustRevalidate" | "noCache"
>;

/** Route mode: fresh for `ttl`, then `staleTtl` of stale-while-revalidate and stale-if-error. */
export function routeFreshness(ttl: number, staleTtl: number): Freshness {
  return {
    initialAge: 0,
    lifetime: ttl,
    staleWhileRevalidate: staleTtl,
    staleIfError: staleTtl,
    mustRevalidate: false,
    noCache: false,
  };
}

/** What an HTTP-mode freshness calculation reads from the response. */
export interface ResponseTimes {
  /** The response's Cache-Control directives. */
  readonly directives: Directives;
  readonly date: string | undefined;
  readonly age: string | undefined;
  readonly expires: string | undefined;
  readonly lastModified: string | undefined;
  /** When the request went to the handler, and when its response came back (epoch ms). */
  readonly requestTime: number;
  readonly responseTime: number;
  /** Heuristic fraction of the time since Last-Modified; 0 for none. */
  readonly heuristic: number;
}

/**
 * HTTP mode, for a shared cache: lifetime from `s-maxage`, else `max-age`, else `Expires` minus
 * `Date` (an invalid `Expires` means already expired), else the heuristic when enabled, else 0; the
 * initial age by section 4.2.3. `s-maxage`, `must-revalidate` and `proxy-revalidate` forbid serving
 * the response stale (section 4.2.4), stale-while-revalidate and stale-if-error included.
 */
export function httpFreshness(times: ResponseTimes): Freshness {
  const { directives, requestTime, responseTime } = times;
  const date = parseHttpDate(times.date) ?? responseTime;
  const ageValue = times.age !== undefined && /^\d+$/.test(times.age.trim()) ? Number(times.age.trim()) : 0;
  const apparentAge = Math.max(0, responseTime - date) / 1000;
  const responseDelay = Math.max(0, responseTime - requestTime) / 1000;
  const initialAge = Math.max(apparentAge, ageValue + responseDelay);

  const sMaxAge = deltaSeconds(directives, "s-maxage");
  let lifetime = sMaxAge ?? deltaSeconds(directives, "max-age");
  if (lifetime === undefined && times.expires !== undefined) {
    const expires = parseHttpDate(times.expires);
    lifetime = expires === undefined ? 0 : Math.max(0, expires - date) / 1000;
  }
  if (lifetime === undefined) {
    const modified = parseHttpDate(times.lastModified);
    lifetime =
      times.heuristic > 0 && modified !== undefined
        ? (Math.max(0, date - modified) / 1000) * times.heuristic
        : 0;
  }
  return {
    initialAge,
    lifetime,
    staleWhileRevalidate: deltaSeconds(directives, "stale-while-revalidate") ?? 0,
    staleIfError: deltaSeconds(directives, "stale-if-error") ?? 0,
    mustRevalidate:
      sMaxAge !== undefined || directives.has("must-revalidate") || directives.has("proxy-revalidate"),
    noCache: directives.has("no-cache"),
  };
}

/** Whether a stored response may ever be served without asking the handler once it is stale. */
export function mayServeStale(stored: Freshness): boolean {
  return !stored.mustRevalidate && !stored.noCache;
}

/** Whether a stored response carries validators the handler can answer a conditional request with. */
export function canRevalidate(stored: StoredResponse): boolean {
  return stored.originEtag !== undefined || stored.originLastModified !== undefined;
}

/**
 * Seconds the store should keep a response from `now`: while fresh, then while it may be served
 * stale, and in HTTP mode, when it can be revalidated, as long again as it was fresh (at least 60 s)
 * so a 304 can renew it. 0 or less: not worth keeping.
 */
export function retention(stored: StoredResponse, now: number, http: boolean): number {
  const age = stored.initialAge + Math.max(0, now - stored.storedAt) / 1000;
  const staleFor = mayServeStale(stored) ? Math.max(stored.staleWhileRevalidate, stored.staleIfError) : 0;
  const revalidateFor = http && canRevalidate(stored) ? Math.max(60, stored.lifetime) : 0;
  return stored.lifetime - age + Math.max(staleFor, revalidateFor);
}
