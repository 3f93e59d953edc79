// Conditional GET (RFC 9110 section 13): If-None-Match with weak comparison, then If-Modified-Since,
// evaluated by the cache against one stored (or just produced) response of the requested URL.
import { parseHttpDate } from "./http-date.js";

/** What a conditional request is compared against: the response's validators. */
export interface Validators {
  /** The ETag sent with the response, quoted, possibly weak (`W/"x"`). */
  readonly etag?: string | undefined;
  /** The Last-Modified of the response, in epoch milliseconds. */
  readonly lastModified?: number | undefined;
}

/** The client's conditional headers, as received. */
export interface Conditionals {
  readonly ifNoneMatch: string | undefined;
  readonly ifModifiedSince: string | undefined;
}

/** The opaque part of an entity-tag, without `W/`, for weak comparison. */
function opaque(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}

/**
 * Whether an If-None-Match field value matches `etag` by weak comparison (section 8.8.3.2): `*`
 * matches any current representation; otherwise any listed entity-tag whose opaque part equals
 * the response's. Entity-tags may contain commas, so the list is scanned by quotes, not split.
 */
export function ifNoneMatchMatches(field: string, etag: string | undefined): boolean {
  if (field.trim() === "*") return true;
  if (etag === undefined) return false;
  const wanted = opaque(etag);
  let i = 0;
  while (i < field.length) {
    const quote = field.indexOf('"', i);
    if (quote === -1) return false;
    const close = field.indexOf('"', quote + 1);
    if (close === -1) return false;
    if (field.slice(quote, close + 1) === wanted) return true;
    i = close + 1;
  }
  return false;
}

/**
 * Whether the request's conditions say the client's copy is current, so a 304 answers it
 * (section 13.2.2): If-None-Match when present (If-Modified-Since is then ignored), else
 * If-Modified-Since against Last-Modified. Only for GET and HEAD, which is all the cache serves.
 */
export function notModified(conditionals: Conditionals, validators: Validators): boolean {
  const { ifNoneMatch, ifModifiedSince } = conditionals;
  if (ifNoneMatch !== undefined) return ifNoneMatchMatches(ifNoneMatch, validators.etag);
  if (ifModifiedSince === undefined || validators.lastModified === undefined) return false;
  const since = parseHttpDate(ifModifiedSince);
  // Last-Modified has one-second resolution: compare whole seconds.
  return since !== undefined && Math.floor(validators.lastModified / 1000) <= Math.floor(since / 1000);
}

/** Response headers a 304 keeps (section 15.4.5), besides the cache's own and per-request ones. */
export const NOT_MODIFIED_HEADERS: ReadonlySet<string> = new Set([
  "cache-control",
  "content-location",
  "date",
  "etag",
  "expires",
  "last-modified",
  "vary",
]);
