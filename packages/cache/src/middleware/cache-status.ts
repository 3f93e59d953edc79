// The cache's report on each response: `X-Cache` (HIT, MISS, STALE, BYPASS), the standard
// `Cache-Status` field of RFC 9211 (`keel; hit; ttl=42`, `keel; fwd=uri-miss; stored`), and `Age`.

/** The `X-Cache` values. */
export type XCache = "HIT" | "MISS" | "STALE" | "BYPASS";

/** The cache's name in `Cache-Status`. */
const NAME = "keel";

/** The parameters of one `Cache-Status` entry; see RFC 9211 section 2. */
export interface CacheStatus {
  readonly hit?: boolean;
  /** Why the request went to the handler: `uri-miss`, `vary-miss`, `stale`, `bypass`, `method`. */
  readonly fwd?: "uri-miss" | "vary-miss" | "stale" | "bypass" | "method";
  /** The status the handler answered with. */
  readonly fwdStatus?: number;
  /** Seconds of freshness left (negative: stale). */
  readonly ttl?: number;
  readonly stored?: boolean;
  readonly collapsed?: boolean;
  /** Why not stored, or why bypassed. */
  readonly detail?: string;
}

/** Formats a `Cache-Status` field value. */
export function cacheStatus(status: CacheStatus): string {
  let value = NAME;
  if (status.hit === true) value += "; hit";
  if (status.fwd !== undefined) value += `; fwd=${status.fwd}`;
  if (status.fwdStatus !== undefined) value += `; fwd-status=${status.fwdStatus}`;
  if (status.ttl !== undefined) value += `; ttl=${Math.floor(status.ttl)}`;
  if (status.stored === true) value += "; stored";
  if (status.collapsed === true) value += "; collapsed";
  if (status.detail !== undefined) value += `; detail=${status.detail}`;
  return value;
}

/** The three headers of a cacheable response, as `[name, value]` pairs. */
export function cacheHeaders(
  xCache: XCache,
  status: CacheStatus,
  age: number | undefined,
): [string, string][] {
  const headers: [string, string][] = [
    ["x-cache", xCache],
    ["cache-status", cacheStatus(status)],
  ];
  if (age !== undefined) headers.push(["age", String(Math.max(0, Math.floor(age)))]);
  return headers;
}
