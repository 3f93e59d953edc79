import { HttpError } from "./errors.js";
import { formatIp, isIPv4Groups, parseIp } from "./ip-address.js";
import { maskGroups } from "./ip-range.js";

/**
 * Prefix lengths for {@link ipSubnetKey}.
 *
 * @example
 * ```ts
 * import type { IpSubnetOptions } from "@keel/http";
 *
 * const perSite: IpSubnetOptions = { ipv4Prefix: 24, ipv6Prefix: 48 };
 * ```
 */
export interface IpSubnetOptions {
  /**
   * How many leading bits of an IPv4 address identify a client, 0 to 32.
   *
   * @defaultValue 32 (one address)
   */
  readonly ipv4Prefix?: number;
  /**
   * How many leading bits of an IPv6 address identify a client, 0 to 128. One subscriber usually
   * holds a whole /56 (or /48, or /64), so keying on single IPv6 addresses lets one client take
   * billions of keys.
   *
   * @defaultValue 56
   */
  readonly ipv6Prefix?: number;
}

function checkPrefix(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new HttpError(
      "ERR_KEEL_HTTP_IP_PREFIX",
      `${name} must be an integer number of bits from 0 to ${max}, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * The key a client is counted under: its address with the host bits cleared, in canonical form,
 * followed by the prefix length unless the key is a single address.
 *
 * IPv6 clients are grouped by /56 by default, the block a subscriber is commonly assigned, so a
 * rate limit or cache partition cannot be dodged by cycling through addresses of one network.
 * IPv4 addresses are kept whole by default. IPv4-mapped IPv6 counts as IPv4.
 *
 * @param ip - an IPv4 or IPv6 address, any spelling (see {@link normalizeIp})
 * @param options - prefix lengths; see {@link IpSubnetOptions}
 * @returns `192.0.2.7`, `192.0.2.0/24`, `2001:db8:0:1200::/56`, or the address itself at /128
 * @throws {@link HttpError} `ERR_KEEL_HTTP_IP_PREFIX` for a prefix outside its range,
 *   `ERR_KEEL_HTTP_INVALID_IP` when `ip` is not an IP address
 *
 * @example
 * ```ts
 * import { ipSubnetKey } from "@keel/http";
 *
 * ipSubnetKey("2001:db8:0:12ab:1::9"); // "2001:db8:0:1200::/56"
 * ipSubnetKey("192.0.2.7"); // "192.0.2.7"
 * ipSubnetKey("192.0.2.7", { ipv4Prefix: 24 }); // "192.0.2.0/24"
 * ```
 */
export function ipSubnetKey(ip: string, options: IpSubnetOptions = {}): string {
  const ipv4Prefix = checkPrefix("ipv4Prefix", options.ipv4Prefix, 32, 32);
  const ipv6Prefix = checkPrefix("ipv6Prefix", options.ipv6Prefix, 56, 128);
  const groups = parseIp(ip);
  if (groups === undefined) {
    throw new HttpError(
      "ERR_KEEL_HTTP_INVALID_IP",
      `ipSubnetKey needs an IPv4 or IPv6 address, got ${JSON.stringify(String(ip).slice(0, 100))}`,
    );
  }
  const ipv4 = isIPv4Groups(groups);
  const prefix = ipv4 ? ipv4Prefix : ipv6Prefix;
  const full = ipv4 ? 32 : 128;
  if (prefix === full) return formatIp(groups);
  const masked = maskGroups(groups, ipv4 ? prefix + 96 : prefix);
  return `${formatIp(masked)}/${prefix}`;
}
