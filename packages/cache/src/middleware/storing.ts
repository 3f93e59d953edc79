// Turning a captured response into a stored one (validators, freshness, replayable headers), and
// writing it into its URL's entry beside the other variants.
import type { Directives } from "./cache-control.js";
import { isStrongEtag, strongEtag } from "./etag.js";
import { type Freshness, httpFreshness, retention, routeFreshness } from "./freshness.js";
import { formatHttpDate, parseHttpDate } from "./http-date.js";
import { sameValues } from "./replies.js";
import {
  type CapturedHttpResponse,
  fieldNames,
  type HttpCacheEntry,
  headerText,
  MAX_VARIANTS,
  replayableHeaders,
  type StoredResponse,
} from "./stored-response.js";

/** What building a stored response needs besides the response. */
export interface StoreContext {
  readonly http: boolean;
  readonly ttl: number;
  readonly staleTtl: number;
  readonly heuristic: number;
  /** Route mode: the Cache-Control to write, if any. */
  readonly cacheControl: string | undefined;
  /** Route mode: header names the route varies on, added to the response's Vary. */
  readonly declaredVary: readonly string[];
  /** When the handler started, and now (epoch ms). */
  readonly requestTime: number;
  readonly now: number;
  readonly varyValues: readonly (string | null)[];
}

/** The freshness a response would get, before its body is hashed (for the store decision). */
export function freshnessOf(
  captured: CapturedHttpResponse,
  directives: Directives,
  context: StoreContext,
): Freshness {
  if (!context.http) return routeFreshness(context.ttl, context.staleTtl);
  const header = (name: string): string | undefined => headerText(captured.headers[name]);
  return httpFreshness({
    directives,
    date: header("date"),
    age: header("age"),
    expires: header("expires"),
    lastModified: header("last-modified"),
    requestTime: context.requestTime,
    responseTime: context.now,
    heuristic: context.heuristic,
  });
}

function setHeader(headers: [string, string][], name: string, value: string): void {
  const at = headers.findIndex(([n]) => n === name);
  if (at === -1) headers.push([name, value]);
  else headers[at] = [name, value];
}

/**
 * The stored form of `captured`. Its ETag: the handler's when strong (route mode) or present at
 * all (HTTP mode: an origin's validator is never replaced), else a digest of the body. Route mode
 * also writes `Last-Modified` (now) when the handler sent none, the configured `Cache-Control`,
 * and the route's `vary` names into `Vary`.
 */
export async function storedFrom(
  captured: CapturedHttpResponse,
  freshness: Freshness,
  context: StoreContext,
): Promise<StoredResponse> {
  const headers = replayableHeaders(captured, !context.http);
  const originEtag = headerText(captured.headers.etag);
  const originLastModified = headerText(captured.headers["last-modified"]);
  const keepEtag = context.http ? originEtag !== undefined : isStrongEtag(originEtag);
  const etag = keepEtag ? (originEtag as string) : await strongEtag(captured.body);
  setHeader(headers, "etag", etag);
  let lastModified = parseHttpDate(originLastModified);
  if (!context.http) {
    if (lastModified === undefined) {
      lastModified = Math.floor(context.now / 1000) * 1000;
      setHeader(headers, "last-modified", formatHttpDate(lastModified));
    }
    if (context.cacheControl !== undefined) setHeader(headers, "cache-control", context.cacheControl);
    if (context.declaredVary.length > 0) {
      const vary = fieldNames(headers.find(([name]) => name === "vary")?.[1]);
      for (const name of context.declaredVary) if (!vary.includes(name)) vary.push(name);
      setHeader(headers, "vary", vary.join(", "));
    }
  }
  return {
    status: captured.status,
    headers,
    body: captured.body,
    etag,
    ...(lastModified === undefined ? {} : { lastModified }),
    ...(originEtag === undefined ? {} : { originEtag }),
    ...(originLastModified === undefined ? {} : { originLastModified }),
    varyValues: context.varyValues,
    storedAt: context.now,
    ...freshness,
  };
}

/**
 * A stored response updated by a 304 from the handler (RFC 9111 section 4.3.4): the 304's headers
 * replace the stored ones of the same name; the body and status stay.
 */
export function mergeNotModified(
  stale: StoredResponse,
  notModified: CapturedHttpResponse,
): CapturedHttpResponse {
  const headers: Record<string, string | readonly string[]> = Object.fromEntries(stale.headers);
  // Age and Date time the renewed response: from the 304, or its arrival when it has none.
  delete headers.age;
  delete headers.date;
  for (const [name, value] of Object.entries(notModified.headers)) {
    if (name !== "content-length" && name !== "transfer-encoding") headers[name] = value;
  }
  const merged = { status: stale.status, headers, body: stale.body };
  return notModified.preset === undefined ? merged : { ...merged, preset: notModified.preset };
}

/**
 * The entry to write after storing `stored` under Vary names `vary`: it first, then the other
 * variants still worth keeping (when `previous` varied on the same names), at most
 * {@link MAX_VARIANTS}; with the store TTL that keeps the longest of them. `undefined` when nothing
 * is worth keeping.
 */
export function nextEntry(
  previous: HttpCacheEntry | undefined,
  vary: readonly string[],
  stored: StoredResponse,
  now: number,
  http: boolean,
): { entry: HttpCacheEntry; ttl: number } | undefined {
  const sameNames = previous !== undefined && sameValues(previous.vary, vary);
  const others = sameNames
    ? previous.variants.filter(
        (variant) => !sameValues(variant.varyValues, stored.varyValues) && retention(variant, now, http) > 0,
      )
    : [];
  const variants = [stored, ...others].slice(0, MAX_VARIANTS);
  const ttl = Math.max(...variants.map((variant) => retention(variant, now, http)));
  if (!(ttl > 0)) return undefined;
  return { entry: { kind: "keel.http.1", vary, variants }, ttl };
}
