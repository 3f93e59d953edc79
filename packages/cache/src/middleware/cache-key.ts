// Cache keys. One stored entry per key; its variants (by the response's Vary) live inside it, so a
// hit is one store read. Layout, one space between the parts, none inside them:
//
//   http:GET <path or custom key> ?<sorted query> h=<host> [<header>=<value>...] [v:<name>=<value>...] [u=<user>]
//
// The path comes first so `invalidateCache("/modules*")` is the glob `http:GET /modules* *`. Every
// value after it is percent-encoded (no spaces), so no crafted header can make two different
// requests share a key.

/** What every response-cache key starts with. */
export const KEY_PREFIX = "http:GET ";

/**
 * Request headers a framework or proxy may use to decide what to render (absolute links, routing,
 * the method) although no Vary names them. They are always part of the key when present, so a
 * client sending `X-Forwarded-Host: evil.example` gets its own entry, never everyone's.
 */
export const IMPLICIT_KEY_HEADERS: readonly string[] = [
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-scheme",
  "x-forwarded-port",
  "x-forwarded-prefix",
  "x-forwarded-server",
  "x-host",
  "x-original-host",
  "x-original-url",
  "x-rewrite-url",
  "x-http-method-override",
  "x-http-method",
  "x-method-override",
];

const PROBED = new Map<string, number>([
  ["authorization", 1],
  ["cookie", 2],
  ["forwarded", 4],
  ["if-none-match", 8],
  ["if-modified-since", 8],
  ...IMPLICIT_KEY_HEADERS.map((name): [string, number] => [name, 4]),
]);

/** {@link headersPresent}: the request carries Authorization. */
export const HAS_AUTHORIZATION = 1;
/** {@link headersPresent}: the request carries Cookie. */
export const HAS_COOKIE = 2;
/** {@link headersPresent}: the request carries Forwarded or an implicit key header. */
export const HAS_KEY_HEADER = 4;
/** {@link headersPresent}: the request carries If-None-Match or If-Modified-Since. */
export const HAS_CONDITIONAL = 8;

/**
 * Which of the headers the cache reads a request carries, as bits, from the names of its headers
 * (lower case): one pass over a handful of names instead of a lookup per header the cache might
 * read. Without the names every bit is set, so every header is looked up.
 */
export function headersPresent(names: readonly string[] | undefined): number {
  if (names === undefined) return 15;
  let bits = 0;
  for (const name of names) bits |= PROBED.get(name) ?? 0;
  return bits;
}

/**
 * The query with its parameters sorted by name (stable: repeated names keep their order) and empty
 * parameters dropped, so `?b=2&a=1` and `?a=1&b=2` share an entry. Values are kept as received.
 */
export function normalizeQuery(query: string): string {
  if (query === "") return "";
  if (!query.includes("&")) return query;
  const params = query.split("&").filter((param) => param !== "");
  const name = (param: string): string => {
    const eq = param.indexOf("=");
    return eq === -1 ? param : param.slice(0, eq);
  };
  params.sort((a, b) => {
    const x = name(a);
    const y = name(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return params.join("&");
}

/** The `host=` and `proto=` parameters of a Forwarded field (RFC 7239), the parts that name the URL. */
export function forwardedUrlParts(forwarded: string): string {
  const parts: string[] = [];
  for (const match of forwarded.matchAll(/(?:^|[;,\s])(host|proto)\s*=\s*("[^"]*"|[^;,\s]*)/gi)) {
    parts.push(`${(match[1] as string).toLowerCase()}=${match[2]}`);
  }
  return parts.join(";");
}

/** The tag every entry of a path carries, for invalidation by unsafe methods. */
export function pathTag(path: string): string {
  return `http:path:${path}`;
}

/** The store glob for `invalidateCache(pattern)`: the pattern matches the path (or custom key). */
export function keyPattern(pattern: string): string {
  return `${KEY_PREFIX}${pattern} *`;
}

/** Adds `name=value` to a key, percent-encoded. */
export function keyPart(name: string, value: string): string {
  return ` ${name}=${encodeURIComponent(value)}`;
}

/** Host parts already made, by raw Host header: a server sees few hosts, and a hit then encodes none. */
const HOST_PARTS = new Map<string, string>();
const MAX_HOST_PARTS = 256;

/** {@link keyPart} for the Host header, lower-cased and remembered (a bounded few). */
export function hostPart(host: string): string {
  let part = HOST_PARTS.get(host);
  if (part === undefined) {
    part = keyPart("h", host.toLowerCase());
    // Whoever sends many distinct hosts gets them encoded each time, never a growing map.
    if (HOST_PARTS.size >= MAX_HOST_PARTS) HOST_PARTS.clear();
    HOST_PARTS.set(host, part);
  }
  return part;
}
