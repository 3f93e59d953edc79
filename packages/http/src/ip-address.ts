// Internal: a hand-written IPv4/IPv6 parser and RFC 5952 formatter. Every loop advances through the
// input once (no regular expressions, no backtracking), and input longer than MAX_IP_LENGTH is
// rejected before it is read.

/** An address as eight 16-bit groups; IPv4 addresses are stored IPv4-mapped (`::ffff:a.b.c.d`). */
export type IpGroups = Uint16Array;

/**
 * The longest text accepted as one address: the longest IPv6 spelling (45 characters,
 * `0000:0000:0000:0000:0000:ffff:255.255.255.255`) plus a `%` and a zone id of up to 32 characters.
 */
export const MAX_IP_LENGTH = 78;

const MAX_ZONE_LENGTH = 32;
const COLON = 58;
const DOT = 46;

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Strict dotted quad between start and end: four decimal octets, no leading zeros, no signs. */
function parseIPv4Into(text: string, start: number, end: number, out: IpGroups, at: number): boolean {
  let octets = 0;
  let value = 0;
  let digits = 0;
  let high = 0;
  for (let i = start; i <= end; i++) {
    const code = i < end ? text.charCodeAt(i) : DOT;
    if (code === DOT) {
      if (digits === 0 || octets === 4) return false;
      if (octets % 2 === 0) high = value;
      else out[at + (octets >> 1)] = (high << 8) | value;
      octets++;
      value = 0;
      digits = 0;
    } else if (code >= 48 && code <= 57) {
      if (digits > 0 && value === 0) return false;
      value = value * 10 + code - 48;
      digits++;
      if (value > 255) return false;
    } else {
      return false;
    }
  }
  return octets === 4;
}

function isZoneChar(code: number): boolean {
  // RFC 6874 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~"
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 45 ||
    code === 46 ||
    code === 95 ||
    code === 126
  );
}

/** Where the address part of `fe80::1%eth0` ends, or -1 when the zone id is malformed. */
function zoneStart(text: string): number {
  const percent = text.indexOf("%");
  if (percent === -1) return text.length;
  const zoneLength = text.length - percent - 1;
  if (zoneLength === 0 || zoneLength > MAX_ZONE_LENGTH) return -1;
  for (let i = percent + 1; i < text.length; i++) if (!isZoneChar(text.charCodeAt(i))) return -1;
  return percent;
}

function parseIPv6Into(text: string, end: number, out: IpGroups): boolean {
  let count = 0;
  let gap = -1;
  let i = 0;
  if (text.charCodeAt(0) === COLON) {
    if (text.charCodeAt(1) !== COLON) return false;
    gap = 0;
    i = 2;
  }
  while (i < end) {
    let value = 0;
    let j = i;
    while (j < end && j - i < 5) {
      const digit = hexValue(text.charCodeAt(j));
      if (digit === -1) break;
      value = value * 16 + digit;
      j++;
    }
    if (j < end && text.charCodeAt(j) === DOT) {
      // An embedded IPv4 address fills the last 32 bits and ends the address.
      if (count > 6 || !parseIPv4Into(text, i, end, out, count)) return false;
      count += 2;
      break;
    }
    if (j === i || j - i > 4 || count === 8) return false;
    out[count++] = value;
    if (j === end) break;
    if (text.charCodeAt(j) !== COLON || j + 1 === end) return false;
    j++;
    if (text.charCodeAt(j) === COLON) {
      if (gap !== -1) return false;
      gap = count;
      j++;
    }
    i = j;
  }
  if (gap === -1) return count === 8;
  // "::" stands for at least one zero group (RFC 4291 section 2.2).
  if (count > 7) return false;
  const tail = count - gap;
  out.copyWithin(8 - tail, gap, count);
  out.fill(0, gap, 8 - tail);
  return true;
}

/**
 * Parses an IPv4 or IPv6 address (an IPv6 zone id is accepted and dropped) into eight groups, or
 * returns undefined. Never throws, whatever the input.
 */
export function parseIp(text: unknown): IpGroups | undefined {
  if (typeof text !== "string" || text.length === 0 || text.length > MAX_IP_LENGTH) return undefined;
  const out = new Uint16Array(8);
  if (text.indexOf(":") === -1) {
    out[5] = 0xffff;
    return parseIPv4Into(text, 0, text.length, out, 6) ? out : undefined;
  }
  const end = zoneStart(text);
  if (end === -1) return undefined;
  return parseIPv6Into(text, end, out) ? out : undefined;
}

/** Whether the groups hold an IPv4-mapped address (`::ffff:0:0/96`), that is, an IPv4 address. */
export function isIPv4Groups(groups: IpGroups): boolean {
  return (
    groups[0] === 0 &&
    groups[1] === 0 &&
    groups[2] === 0 &&
    groups[3] === 0 &&
    groups[4] === 0 &&
    groups[5] === 0xffff
  );
}

function formatIPv4(groups: IpGroups): string {
  const high = groups[6]!;
  const low = groups[7]!;
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/**
 * Formats groups canonically: dotted quad for IPv4 (and IPv4-mapped IPv6), otherwise RFC 5952
 * section 4: lower-case hex without leading zeros, "::" for the longest run of two or more zero
 * groups (the first such run on a tie), never for a single zero group.
 */
export function formatIp(groups: IpGroups): string {
  if (isIPv4Groups(groups)) return formatIPv4(groups);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string =>
    Array.from(groups.subarray(from, to), (group) => group.toString(16)).join(":");
  if (bestStart === -1) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}
