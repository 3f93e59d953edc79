import { formatIp, parseIp } from "./ip-address.js";

/**
 * Returns the one canonical spelling of an IP address, or `undefined` when the string is not one.
 *
 * - IPv4: a strict dotted quad (`1.2.3.4`); leading zeros (`01.2.3.4`, which some parsers read as
 *   octal), short forms (`1.2.3`) and surrounding spaces are rejected.
 * - IPv6: RFC 5952 canonical form (lower case, no leading zeros, `::` for the longest run of two or
 *   more zero groups), so every spelling of one address gives one string.
 * - IPv4-mapped IPv6 (`::ffff:1.2.3.4`, `::ffff:102:304`) becomes the IPv4 address `1.2.3.4`,
 *   because a dual-stack socket reports IPv4 clients that way.
 * - A zone id (`fe80::1%eth0`) is dropped: it names an interface on this host, not a client.
 *
 * Runs in time linear in the input, never throws, and rejects anything longer than 78 characters
 * without reading it, so it is safe on values taken straight from request headers. Brackets and
 * ports (`[::1]:443`) are not part of an address; {@link resolveClientIp} strips them from
 * forwarding headers.
 *
 * @param ip - the text to read; non-strings give `undefined`
 * @returns the canonical address, or `undefined` when `ip` is not an IP address
 *
 * @example
 * ```ts
 * import { normalizeIp } from "@keel/http";
 *
 * normalizeIp("2001:0DB8:0000:0000:0000:0000:0000:0001"); // "2001:db8::1"
 * normalizeIp("::ffff:192.0.2.7"); // "192.0.2.7"
 * normalizeIp("fe80::1%eth0"); // "fe80::1"
 * normalizeIp("192.0.2.300"); // undefined
 * ```
 */
export function normalizeIp(ip: string): string | undefined {
  const groups = parseIp(ip);
  return groups === undefined ? undefined : formatIp(groups);
}
