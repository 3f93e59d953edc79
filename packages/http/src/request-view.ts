/**
 * A transport-neutral, read-only view of an incoming request: the part of a request that Keel's
 * middleware reads, the same for Node (`IncomingMessage`) and Fetch (`Request`).
 *
 * Build one with {@link nodeRequestView} or {@link fetchRequestView}.
 *
 * @example
 * ```ts
 * import type { RequestView } from "@keel/http";
 *
 * const isApiRead = (view: RequestView): boolean => view.method === "GET" && view.path.startsWith("/api/");
 * ```
 */
export interface RequestView {
  /** The request method in upper case (`GET`, `PATCH`). */
  readonly method: string;
  /** The path of the request target without the query, as received: not decoded, not normalized. */
  readonly path: string;
  /** The raw query string without the `?`; `""` when there is none. */
  readonly query: string;
  /**
   * A request header by name, case-insensitively; repeated headers are joined with ", ".
   *
   * @returns the value, or `undefined` when the request does not carry the header
   */
  header(name: string): string | undefined;
  /** The address of the socket peer as the transport reports it (any spelling), when known. */
  readonly remoteAddress: string | undefined;
}

/**
 * Splits a request target into path and query. An absolute-form target
 * (`http://example.com/a?b`, sent to proxies, and the only form a Fetch `Request` has) loses its
 * scheme and authority; a fragment, which a request target should not carry, is dropped.
 */
export function splitTarget(target: string): { path: string; query: string } {
  const hash = target.indexOf("#");
  const text = hash === -1 ? target : target.slice(0, hash);
  const mark = text.indexOf("?");
  let path = mark === -1 ? text : text.slice(0, mark);
  const query = mark === -1 ? "" : text.slice(mark + 1);
  if (path[0] !== "/" && path !== "*") {
    const scheme = path.indexOf("://");
    const slash = scheme === -1 ? -1 : path.indexOf("/", scheme + 3);
    path = slash === -1 ? "/" : path.slice(slash);
  }
  return { path, query };
}
