// Internal: reading the hop lists of X-Forwarded-For and RFC 7239 Forwarded. Both parsers make one
// left-to-right pass over the header; nothing here backtracks.
import { normalizeIp } from "./ip.js";

const MAX_PORT_LENGTH = 32;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** RFC 7239 section 6: node-port = port / obfport; port = 1*5DIGIT; obfport = "_" 1*(ALPHA / DIGIT / "." / "_" / "-"). */
function isPort(text: string): boolean {
  if (text.length === 0 || text.length > MAX_PORT_LENGTH) return false;
  const obfuscated = text.charCodeAt(0) === 95;
  if (!obfuscated && text.length > 5) return false;
  for (let i = obfuscated ? 1 : 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const ok = obfuscated
      ? isDigit(code) || isTokenLetter(code) || code === 46 || code === 95 || code === 45
      : isDigit(code);
    if (!ok) return false;
  }
  return !obfuscated || text.length > 1;
}

function isTokenLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/**
 * The canonical address in one hop: `192.0.2.1`, `192.0.2.1:8080`, `2001:db8::1`,
 * `[2001:db8::1]` or `[2001:db8::1]:443`. `unknown`, obfuscated names (`_proxy1`) and anything
 * else give undefined.
 */
export function hopAddress(node: string): string | undefined {
  if (node.charCodeAt(0) === 91) {
    const close = node.indexOf("]");
    if (close === -1) return undefined;
    const rest = node.slice(close + 1);
    if (rest !== "" && !(rest[0] === ":" && isPort(rest.slice(1)))) return undefined;
    const inner = node.slice(1, close);
    return inner.includes(":") ? normalizeIp(inner) : undefined;
  }
  const colon = node.indexOf(":");
  // One colon is an IPv4 address with a port; an IPv6 address always has two or more.
  if (colon !== -1 && node.indexOf(":", colon + 1) === -1) {
    return isPort(node.slice(colon + 1)) && node.includes(".")
      ? normalizeIp(node.slice(0, colon))
      : undefined;
  }
  return normalizeIp(node);
}

/** X-Forwarded-For entries, left to right, without surrounding whitespace; empty entries are skipped. */
export function forwardedForHops(header: string): string[] {
  const hops: string[] = [];
  for (const part of header.split(",")) {
    const hop = part.trim();
    if (hop !== "") hops.push(hop);
  }
  return hops;
}

/** RFC 9110 tchar. */
function isTokenChar(code: number): boolean {
  return isDigit(code) || isTokenLetter(code) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(code));
}

// A token, plus ":" "[" "]" so that an unquoted `for=[2001:db8::1]:80` still reads.
function isValueChar(code: number): boolean {
  return isTokenChar(code) || code === 58 || code === 91 || code === 93;
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
  return i;
}

/**
 * The `for=` node of each element of a Forwarded header, left to right: a string, or undefined for
 * an element without `for=`. A syntax error ends the list with one undefined entry, because what
 * follows the error (the hops nearest the app) can no longer be told apart from what precedes it.
 */
export function forwardedHops(header: string): (string | undefined)[] {
  const hops: (string | undefined)[] = [];
  let i = 0;
  while (i < header.length) {
    let node: string | undefined;
    let pairs = 0;
    let malformed = false;
    for (i = skipSpace(header, i); i < header.length && header[i] !== ","; i = skipSpace(header, i)) {
      if (header[i] === ";") {
        i++;
        continue;
      }
      const nameStart = i;
      while (i < header.length && isTokenChar(header.charCodeAt(i))) i++;
      const name = header.slice(nameStart, i).toLowerCase();
      if (name === "" || header[i] !== "=") {
        malformed = true;
        break;
      }
      i++;
      let value = "";
      if (header[i] === '"') {
        let closed = false;
        for (i++; i < header.length; i++) {
          const char = header[i];
          if (char === '"') {
            closed = true;
            i++;
            break;
          }
          if (char === "\\") i++;
          value += header[i] ?? "";
        }
        if (!closed) malformed = true;
      } else {
        const valueStart = i;
        while (i < header.length && isValueChar(header.charCodeAt(i))) i++;
        value = header.slice(valueStart, i);
        if (value === "") malformed = true;
      }
      i = skipSpace(header, i);
      if (!malformed && i < header.length && header[i] !== ";" && header[i] !== ",") malformed = true;
      if (!malformed && name === "for") {
        if (node !== undefined) malformed = true;
        node = value;
      }
      if (malformed) break;
      pairs++;
    }
    if (malformed) {
      hops.push(undefined);
      return hops;
    }
    if (pairs > 0) hops.push(node);
    i++;
  }
  return hops;
}
