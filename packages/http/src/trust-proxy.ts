import { HttpError } from "./errors.js";
import { parseIp } from "./ip-address.js";
import { type IpRange, inRange, parseIpRange } from "./ip-range.js";

/**
 * Which proxies in front of the app may be believed about the client address, with the semantics
 * of Express's `trust proxy` setting:
 *
 * - `false` (the default): trust nobody; forwarding headers are never read and the client is the
 *   socket peer. Right for an app that faces the internet directly.
 * - `true`: trust every hop; the client is the leftmost `X-Forwarded-For` entry. Only safe when a
 *   proxy you control overwrites the header, since a client can otherwise write any address there.
 * - a number `n`: trust the `n` hops nearest the app (the socket peer is hop 0), e.g. `1` behind
 *   one load balancer. `0` trusts nobody.
 * - a string or an array of strings: IP addresses, CIDR ranges (`10.0.0.0/8`, `fc00::/7`, IPv4
 *   netmasks like `10.0.0.0/255.0.0.0`) and the names `loopback` (127.0.0.1/8, ::1/128),
 *   `linklocal` (169.254.0.0/16, fe80::/10) and `uniquelocal` (10.0.0.0/8, 172.16.0.0/12,
 *   192.168.0.0/16, fc00::/7). A string may hold several entries separated by commas.
 * - a function `(address, hop) => boolean`: your own rule, called with a canonical address (see
 *   {@link normalizeIp}) and its hop number, 0 being the socket peer.
 *
 * @example
 * ```ts
 * import type { TrustProxy } from "@keel/http";
 *
 * const behindOneBalancer: TrustProxy = 1;
 * const behindPrivateProxies: TrustProxy = ["loopback", "uniquelocal"];
 * const custom: TrustProxy = (address, hop) => hop < 2 && address.startsWith("10.");
 * ```
 */
export type TrustProxy = boolean | number | string | readonly string[] | TrustProxyFn;

/**
 * A compiled trust rule: whether the proxy at `address` (canonical form), `hop` steps from the app
 * (0 is the socket peer), may be believed about the hop before it.
 *
 * @example
 * ```ts
 * import { compileTrustProxy, type TrustProxyFn } from "@keel/http";
 *
 * const trust: TrustProxyFn = compileTrustProxy("loopback");
 * trust("127.0.0.1", 0); // true
 * ```
 */
export type TrustProxyFn = (address: string, hop: number) => boolean;

const NAMED_RANGES: Readonly<Record<string, readonly string[]>> = {
  loopback: ["127.0.0.1/8", "::1/128"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
  uniquelocal: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
};

const trustNone: TrustProxyFn = () => false;
const trustAll: TrustProxyFn = () => true;

function invalid(message: string): HttpError {
  return new HttpError("ERR_KEEL_HTTP_TRUST_PROXY", `trustProxy: ${message}`);
}

function compileRanges(entries: readonly unknown[]): TrustProxyFn {
  const ranges: IpRange[] = [];
  for (const entry of entries) {
    if (typeof entry !== "string") {
      throw invalid(
        `every entry must be a string (an IP address, a CIDR range or a name), got ${typeof entry}`,
      );
    }
    const named = Object.hasOwn(NAMED_RANGES, entry) ? NAMED_RANGES[entry] : undefined;
    for (const text of named ?? [entry]) {
      const range = parseIpRange(text);
      if (typeof range === "string") {
        // A hop count read from an environment variable arrives as a string.
        const hint = /^\d+$/.test(entry) ? ` (for a hop count, pass the number ${entry}, not a string)` : "";
        throw invalid(
          `${range}; expected an IP address, a CIDR range or one of loopback, linklocal, uniquelocal${hint}`,
        );
      }
      ranges.push(range);
    }
  }
  if (ranges.length === 0) return trustNone;
  return (address) => {
    const groups = parseIp(address);
    return groups !== undefined && ranges.some((range) => inRange(groups, range));
  };
}

/**
 * Turns a {@link TrustProxy} setting into a {@link TrustProxyFn}, validating it now so that a typo
 * fails at startup instead of silently trusting the wrong hops.
 *
 * Call it once, when your middleware is created, and reuse the result for every request.
 *
 * @param trust - the setting; `undefined` means `false` (trust nobody)
 * @returns the compiled rule
 * @throws {@link HttpError} `ERR_KEEL_HTTP_TRUST_PROXY` for a negative or fractional hop count, an
 *   entry that is not an address, range or known name, or a value of another type
 *
 * @example
 * ```ts
 * import { compileTrustProxy } from "@keel/http";
 *
 * const trust = compileTrustProxy("loopback, 10.0.0.0/8");
 * trust("10.1.2.3", 0); // true
 * trust("203.0.113.9", 0); // false
 * compileTrustProxy(2)("203.0.113.9", 1); // true: hops 0 and 1 are trusted
 * ```
 */
export function compileTrustProxy(trust?: TrustProxy): TrustProxyFn {
  if (trust === undefined || trust === false) return trustNone;
  if (trust === true) return trustAll;
  if (typeof trust === "function") return trust;
  if (typeof trust === "number") {
    if (!Number.isSafeInteger(trust) || trust < 0) {
      throw invalid(`a hop count must be a non-negative integer, got ${trust}`);
    }
    return trust === 0 ? trustNone : (_address, hop) => hop < trust;
  }
  if (typeof trust === "string") return compileRanges(trust.split(",").map((entry) => entry.trim()));
  if (Array.isArray(trust))
    return compileRanges(trust.map((entry) => (typeof entry === "string" ? entry.trim() : entry)));
  throw invalid(
    `expected a boolean, a hop count, an address or range (or a list of them) or a function, got ${trust === null ? "null" : typeof trust}`,
  );
}
