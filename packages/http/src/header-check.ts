// Internal: header validation before anything is changed, with HttpError codes. The rules are
// Node's (and RFC 9110's): a name is a token; a value has no control characters but tab.
import { HttpError } from "./errors.js";

/**
 * A header value {@link setNodeHeaders} accepts: a string, a number, or a list of strings, sent
 * as one header line per item (as `Set-Cookie` needs).
 *
 * @example
 * ```ts
 * import type { HeaderValue } from "@keel/http";
 *
 * const values: HeaderValue[] = ["no-store", 42, ["a=1; Path=/", "b=2; Path=/"]];
 * ```
 */
export type HeaderValue = string | number | readonly string[];

function isTokenChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    "!#$%&'*+-.^_`|~".includes(String.fromCharCode(code))
  );
}

function validName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) if (!isTokenChar(name.charCodeAt(i))) return false;
  return true;
}

function validText(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 32 && code !== 9) || code === 127 || code > 255) return false;
  }
  return true;
}

function validValue(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value === "string") return validText(value);
  return Array.isArray(value) && value.every((item) => typeof item === "string" && validText(item));
}

/** Throws ERR_KEEL_HTTP_HEADER for the first header HTTP cannot carry, naming it. */
export function checkHeaders(headers: Readonly<Record<string, unknown>>): void {
  for (const name of Object.keys(headers)) {
    if (!validName(name)) {
      throw new HttpError("ERR_KEEL_HTTP_HEADER", `header name ${JSON.stringify(name)} is not an HTTP token`);
    }
    if (!validValue(headers[name])) {
      throw new HttpError(
        "ERR_KEEL_HTTP_HEADER",
        `header "${name}" has a value HTTP cannot carry (use a string of visible Latin-1 characters without CR/LF, a finite number, or a list of strings)`,
      );
    }
  }
}
