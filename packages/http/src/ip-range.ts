// Internal: CIDR ranges over the 128-bit address space. IPv4 ranges are stored IPv4-mapped
// (10.0.0.0/8 is ::ffff:10.0.0.0/104), so one comparison serves both families and an IPv6 range
// that covers mapped addresses (::/0, ::ffff:0:0/96) also covers IPv4 clients, as in Express.
import { type IpGroups, isIPv4Groups, parseIp } from "./ip-address.js";

/** A range: its first address (host bits cleared) and its prefix length in bits, 0 to 128. */
export interface IpRange {
  readonly groups: IpGroups;
  readonly prefix: number;
}

const IPV4_OFFSET = 96;
const MAX_PREFIX_DIGITS = 3;

/** Clears every bit past `prefix` (0-128) in place and returns the groups. */
export function maskGroups(groups: IpGroups, prefix: number): IpGroups {
  for (let i = 0; i < 8; i++) {
    const keep = Math.min(16, Math.max(0, prefix - i * 16));
    groups[i] = keep === 0 ? 0 : groups[i]! & ((0xffff << (16 - keep)) & 0xffff);
  }
  return groups;
}

/** Whether the address lies in the range. */
export function inRange(address: IpGroups, range: IpRange): boolean {
  let bits = range.prefix;
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((address[i]! & mask) !== range.groups[i]) return false;
  }
  return true;
}

/** A decimal prefix length with no sign and no leading zeros, or -1. */
export function parsePrefix(text: string): number {
  if (text.length === 0 || text.length > MAX_PREFIX_DIGITS || (text.length > 1 && text[0] === "0")) return -1;
  let value = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return -1;
    value = value * 10 + code - 48;
  }
  return value;
}

/** The prefix length of a contiguous IPv4 netmask (255.255.0.0 is 16), or -1. */
function netmaskPrefix(text: string): number {
  const groups = text.includes(":") ? undefined : parseIp(text);
  if (groups === undefined || !isIPv4Groups(groups)) return -1;
  const mask = ((groups[6]! << 16) | groups[7]!) >>> 0;
  const prefix = Math.clz32(~mask);
  // Contiguous means: the ones form a prefix, so the mask equals its own prefix-length mask.
  const expected = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return mask === expected ? prefix : -1;
}

/**
 * Parses `address`, `address/prefix` or (IPv4) `address/netmask`, or returns a reason it cannot.
 * Host bits set past the prefix are ignored, as Express does (10.1.2.3/8 is 10.0.0.0/8).
 */
export function parseIpRange(text: string): IpRange | string {
  const slash = text.indexOf("/");
  const groups = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (groups === undefined) return `"${text}" is not an IP address or CIDR range`;
  const ipv4 = isIPv4Groups(groups) && !text.slice(0, slash === -1 ? undefined : slash).includes(":");
  if (slash === -1) return { groups, prefix: 128 };
  const suffix = text.slice(slash + 1);
  const max = ipv4 ? 32 : 128;
  let prefix = parsePrefix(suffix);
  if (prefix === -1 && ipv4) prefix = netmaskPrefix(suffix);
  if (prefix === -1 || prefix > max) {
    return `"${text}" has an invalid prefix: use /0 to /${max}${ipv4 ? " or a contiguous netmask" : ""}`;
  }
  const bits = ipv4 ? prefix + IPV4_OFFSET : prefix;
  return { groups: maskGroups(groups, bits), prefix: bits };
}
