// What the response cache keeps: per URL key one entry holding the variants its Vary selects
// between, each with its status, replayable headers, body bytes and freshness. Plain data, so it
// round-trips through any store's serializer (bytes as a Uint8Array/Buffer), and the hit path reads
// it as is: no JSON is built or parsed per hit on an in-process store.

/** Response headers as adapters hand them over: lower-case names; lists for repeated fields. */
export type ResponseHeaders = Readonly<Record<string, string | readonly string[]>>;

/** A response as the handler produced it, whole (the adapter buffered the body). */
export interface CapturedHttpResponse {
  /** The status code the handler sent. */
  readonly status: number;
  /** Its headers, names in lower case. */
  readonly headers: ResponseHeaders;
  /** Every body byte the handler wrote (empty for HEAD, 204, 304). */
  readonly body: Uint8Array;
  /**
   * Names (lower case) of headers already on the response before the handler ran, set by
   * middleware outside the cache for this request (a request id, rate-limit headers): never stored.
   */
  readonly preset?: Iterable<string>;
}

/** One stored response: what a hit replays, and how long it may. Times are epoch ms, spans seconds. */
export interface StoredResponse {
  readonly status: number;
  /** Headers to replay, lower-case names, values joined; never framing, hop-by-hop or Set-Cookie. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Uint8Array;
  /** The ETag served with it (also in `headers`). */
  readonly etag: string;
  /** Its Last-Modified, for If-Modified-Since; absent when it has none. */
  readonly lastModified?: number;
  /** The handler's own validators, sent back to it when the response is revalidated. */
  readonly originEtag?: string;
  readonly originLastModified?: string;
  /** The request's values of the entry's `vary` names when it was stored (`null`: header absent). */
  readonly varyValues: readonly (string | null)[];
  /** When the response was received (RFC 9111 `response_time`). */
  readonly storedAt: number;
  /** Its age when received (`corrected_initial_age`), seconds. */
  readonly initialAge: number;
  /** Freshness lifetime, seconds. */
  readonly lifetime: number;
  /** Seconds past its lifetime it may be served while one request refreshes it. */
  readonly staleWhileRevalidate: number;
  /** Seconds past its lifetime it may be served when the handler fails. */
  readonly staleIfError: number;
  /** must-revalidate, proxy-revalidate or s-maxage: never served stale. */
  readonly mustRevalidate: boolean;
  /** no-cache: validated with the handler before every use. */
  readonly noCache: boolean;
}

/** The value stored under one URL key. */
export interface HttpCacheEntry {
  /** Marks values this middleware wrote, so a foreign value under the key reads as a miss. */
  readonly kind: "keel.http.1";
  /** Request header names (lower case) from the responses' Vary that select a variant. */
  readonly vary: readonly string[];
  /** At most {@link MAX_VARIANTS} responses, newest first. */
  readonly variants: readonly StoredResponse[];
}

/** How many variants one URL keeps (by Vary); the oldest goes first. */
export const MAX_VARIANTS = 16;

/** Whether a value read from the store is an entry this middleware wrote. */
export function isHttpCacheEntry(value: unknown): value is HttpCacheEntry {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as HttpCacheEntry).kind === "keel.http.1" &&
    Array.isArray((value as HttpCacheEntry).variants)
  );
}

/** The current age of a stored response in seconds (RFC 9111 section 4.2.3: `current_age`). */
export function currentAge(stored: StoredResponse, now: number): number {
  return stored.initialAge + Math.max(0, now - stored.storedAt) / 1000;
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/**
 * Headers that describe one request's processing, never the representation: replaying them would
 * hand one client's request id or quota to another.
 */
const PER_REQUEST = new Set([
  "age",
  "cache-status",
  "content-length",
  "request-id",
  "retry-after",
  "server-timing",
  "set-cookie",
  "traceparent",
  "tracestate",
  "x-amzn-trace-id",
  "x-cache",
  "x-correlation-id",
  "x-request-id",
  "x-response-time",
  "x-trace-id",
]);

/** Whether a response header is one the cache never stores (besides those set before the handler). */
export function isUnstorableHeader(name: string): boolean {
  return (
    HOP_BY_HOP.has(name) ||
    PER_REQUEST.has(name) ||
    name.startsWith("ratelimit") ||
    name.startsWith("x-ratelimit")
  );
}

/** A header's value as one string: repeated fields joined with ", " (RFC 9110 section 5.3). */
export function headerText(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : value.join(", ");
}

/** Names listed in a comma-separated field (Vary, Connection), trimmed and in lower case. */
export function fieldNames(value: string | undefined): string[] {
  if (value === undefined) return [];
  const names: string[] = [];
  for (const part of value.split(",")) {
    const name = part.trim().toLowerCase();
    if (name !== "" && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The headers of `captured` a hit may replay: without hop-by-hop fields (and those its Connection
 * names), framing, Set-Cookie, per-request fields and those set before the handler ran.
 */
export function replayableHeaders(captured: CapturedHttpResponse, dropDate: boolean): [string, string][] {
  const preset = new Set(captured.preset ?? []);
  const connection = new Set(fieldNames(headerText(captured.headers.connection)));
  const kept: [string, string][] = [];
  for (const [name, value] of Object.entries(captured.headers)) {
    if (isUnstorableHeader(name) || preset.has(name) || connection.has(name)) continue;
    if (dropDate && name === "date") continue;
    kept.push([name, headerText(value) as string]);
  }
  return kept;
}
