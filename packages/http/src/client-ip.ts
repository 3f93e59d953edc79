import { forwardedForHops, forwardedHops, hopAddress } from "./forwarding-headers.js";
import { normalizeIp } from "./ip.js";
import type { RequestView } from "./request-view.js";
import type { TrustProxyFn } from "./trust-proxy.js";

/**
 * What {@link resolveClientIp} reads: the socket peer and the raw forwarding headers of a request.
 *
 * @example
 * ```ts
 * import type { ClientIpSource } from "@keel/http";
 *
 * const source: ClientIpSource = {
 *   remoteAddress: "10.0.0.2",
 *   forwardedFor: "203.0.113.7, 10.0.0.1",
 * };
 * ```
 */
export interface ClientIpSource {
  /** The address of the socket peer, as the transport reports it (any spelling). */
  readonly remoteAddress?: string | undefined;
  /** The `X-Forwarded-For` header, repeated headers joined with ", ". */
  readonly forwardedFor?: string | undefined;
  /** The RFC 7239 `Forwarded` header, repeated headers joined with ", ". */
  readonly forwarded?: string | undefined;
}

// Socket peers, normalized once each: a keep-alive connection sends many requests, and its
// remoteAddress is the same string on every one. Cleared when full, so a spray of addresses costs
// at most this many entries.
const PEER_CACHE_SIZE = 4096;
const peers = new Map<string, string | undefined>();

function normalizedPeer(address: string): string | undefined {
  if (peers.has(address)) return peers.get(address);
  const normalized = normalizeIp(address);
  if (peers.size >= PEER_CACHE_SIZE) peers.clear();
  peers.set(address, normalized);
  return normalized;
}

/**
 * Finds the client address of a request, believing forwarding headers only as far as `trust`
 * allows, with the same walk as Express's `req.ip`.
 *
 * The walk starts at the socket peer (hop 0) and moves right to left through the forwarding hops.
 * While the current hop is trusted, the hop before it becomes the candidate; the first untrusted
 * hop is the answer (or the leftmost hop, when every hop is trusted). So with `trust` false the
 * result is always the socket peer, whatever the headers say.
 *
 * Precedence: `X-Forwarded-For` is read when it has any entry, otherwise the `for=` parameters of
 * `Forwarded`. Nearly every proxy writes `X-Forwarded-For`; if yours writes only `Forwarded`, make
 * it drop `X-Forwarded-For` sent by clients (or leave `forwardedFor` out), or a client could write
 * the hop your proxy vouches for.
 *
 * Hops may carry a port (`192.0.2.1:8080`, `[2001:db8::1]:443`). A hop that is not an address
 * (`unknown`, an obfuscated name, garbage, a malformed `Forwarded` header) ends the walk: the
 * answer is then the trusted proxy nearest to it, which is what that proxy knew.
 *
 * @param source - the socket peer and the forwarding headers
 * @param trust - a compiled rule from {@link compileTrustProxy}
 * @returns the canonical client address (see {@link normalizeIp}), or `undefined` when the socket
 *   peer is unknown (a closed socket) or not an IP address
 *
 * @example
 * ```ts
 * import { compileTrustProxy, resolveClientIp } from "@keel/http";
 *
 * const source = { remoteAddress: "10.0.0.2", forwardedFor: "198.51.100.1, 203.0.113.7" };
 * resolveClientIp(source, compileTrustProxy(false)); // "10.0.0.2"
 * resolveClientIp(source, compileTrustProxy(1)); // "203.0.113.7"
 * resolveClientIp(source, compileTrustProxy(true)); // "198.51.100.1"
 * ```
 */
export function resolveClientIp(source: ClientIpSource, trust: TrustProxyFn): string | undefined {
  let current = normalizedPeer(source.remoteAddress ?? "");
  if (current === undefined) return undefined;
  const forwardedFor = source.forwardedFor === undefined ? [] : forwardedForHops(source.forwardedFor);
  const hops =
    forwardedFor.length > 0 || source.forwarded === undefined
      ? forwardedFor
      : forwardedHops(source.forwarded);
  for (let hop = 0, next = hops.length - 1; next >= 0; hop++, next--) {
    if (!trust(current, hop)) return current;
    const node = hops[next];
    const address = node === undefined ? undefined : hopAddress(node);
    if (address === undefined) return current;
    current = address;
  }
  return current;
}

/**
 * The client address of a request, from its {@link RequestView}: {@link resolveClientIp} over the
 * socket peer and the `X-Forwarded-For` and `Forwarded` headers.
 *
 * @param view - the request
 * @param trust - a compiled rule from {@link compileTrustProxy}
 * @returns the canonical client address, or `undefined` when the socket peer is unknown
 *
 * @example
 * ```ts
 * import { clientIpOf, compileTrustProxy, fetchRequestView } from "@keel/http";
 *
 * const trust = compileTrustProxy("loopback");
 * const request = new Request("http://localhost/", { headers: { "x-forwarded-for": "203.0.113.7" } });
 * clientIpOf(fetchRequestView(request, "127.0.0.1"), trust); // "203.0.113.7"
 * ```
 */
export function clientIpOf(view: RequestView, trust: TrustProxyFn): string | undefined {
  return resolveClientIp(
    {
      remoteAddress: view.remoteAddress,
      forwardedFor: view.header("x-forwarded-for"),
      forwarded: view.header("forwarded"),
    },
    trust,
  );
}
