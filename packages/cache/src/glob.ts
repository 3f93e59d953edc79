/**
 * Glob patterns for `invalidate` and `keys`: `*` matches any run of characters (including `/` and the
 * empty run), `?` matches exactly one character (one code point, so an emoji counts as one), and `\`
 * makes the next character literal (`\*` is a star, `\\` a backslash; a trailing `\` is a literal
 * backslash, as in Redis). Every other character, `[` and `]` included, is literal: there are no
 * character classes.
 *
 * Patterns are never turned into regular expressions. A compiled pattern runs the greedy two-pointer
 * algorithm with a single backtrack point (the last `*` seen): each `*` retry advances one character,
 * so a match costs at most O(key length × pattern length) steps, with no exponential backtracking,
 * whatever the input (`*a*a*a*a*b` against a million `a`s is a few million steps).
 */

import { CacheError, describeValue } from "./errors.js";

// Token codes: non-negative numbers are literal UTF-16 code units.
const STAR = -1;
const ANY = -2;
const BACKSLASH = 0x5c;

/**
 * Tests a key against a compiled glob; see {@link compileGlob}.
 *
 * @example
 * ```ts
 * const isModule: GlobMatcher = compileGlob("/modules/*");
 * isModule("/modules/intro"); // true
 * ```
 */
export type GlobMatcher = (key: string) => boolean;

function tokenize(pattern: string): number[] {
  const tokens: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const code = pattern.charCodeAt(i);
    if (code === 0x2a /* * */) {
      // Runs of stars are one star: it keeps the backtracking bound tight.
      if (tokens[tokens.length - 1] !== STAR) tokens.push(STAR);
    } else if (code === 0x3f /* ? */) tokens.push(ANY);
    else if (code === BACKSLASH && i + 1 < pattern.length) tokens.push(pattern.charCodeAt(++i));
    else tokens.push(code);
  }
  return tokens;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Width in code units of the character starting at `at`: 2 for a surrogate pair, otherwise 1. */
function charWidth(key: string, at: number): number {
  if (!isHighSurrogate(key.charCodeAt(at)) || at + 1 >= key.length) return 1;
  const next = key.charCodeAt(at + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
}

function literalText(tokens: readonly number[]): string {
  // In chunks: spreading a very long pattern into one call would overflow the argument limit.
  let text = "";
  for (let i = 0; i < tokens.length; i += 8192) text += String.fromCharCode(...tokens.slice(i, i + 8192));
  return text;
}

function matchTokens(tokens: readonly number[], key: string): boolean {
  const m = tokens.length;
  const n = key.length;
  let p = 0;
  let k = 0;
  let starP = -1;
  let starK = 0;
  while (k < n) {
    const token = p < m ? (tokens[p] as number) : STAR - 10;
    if (token === ANY) {
      k += charWidth(key, k);
      p++;
    } else if (token >= 0 && token === key.charCodeAt(k)) {
      k++;
      p++;
    } else if (token === STAR) {
      starP = p++;
      starK = k;
    } else if (starP >= 0) {
      // Backtrack: the last star swallows one more code unit. A star ending inside a surrogate pair
      // is harmless: a following `?` then takes the low half, which parses the same span as the
      // star taking one unit less and `?` the whole pair.
      p = starP + 1;
      k = ++starK;
    } else {
      return false;
    }
  }
  while (p < m && tokens[p] === STAR) p++;
  return p === m;
}

/**
 * Compiles a glob pattern into a matcher, in O(pattern length). Matching costs O(key length ×
 * pattern length) at worst and O(key length) for the common shapes (`exact`, `prefix*`, `*suffix`).
 *
 * @example
 * ```ts
 * const matches = compileGlob("/modules/*");
 * matches("/modules/intro"); // true
 * matches("/tutorials/intro"); // false
 * compileGlob("user:?")("user:7"); // true
 * compileGlob("literal\\*")("literal*"); // true: the star is escaped
 * ```
 */
export function compileGlob(pattern: string): GlobMatcher {
  if (typeof pattern !== "string") {
    throw new CacheError(
      "ERR_KEEL_CACHE_ARGUMENT",
      `a glob pattern must be a string, got ${describeValue(pattern)}`,
    );
  }
  const tokens = tokenize(pattern);
  const wildcards = tokens.filter((token) => token < 0).length;
  if (wildcards === 0) {
    const exact = literalText(tokens);
    return (key) => key === exact;
  }
  if (tokens.length === 1 && tokens[0] === STAR) return () => true;
  if (wildcards === 1 && tokens[tokens.length - 1] === STAR) {
    const prefix = literalText(tokens.slice(0, -1));
    return (key) => key.startsWith(prefix);
  }
  if (wildcards === 1 && tokens[0] === STAR) {
    const suffix = literalText(tokens.slice(1));
    return (key) => key.endsWith(suffix);
  }
  return (key) => matchTokens(tokens, key);
}

/**
 * The one key a pattern matches when it has no wildcard (escapes resolved), else undefined: lets a
 * store delete that key directly instead of scanning.
 *
 * @example
 * ```ts
 * globLiteral("user:1"); // "user:1"
 * globLiteral("a\\*b"); // "a*b"
 * globLiteral("user:*"); // undefined
 * ```
 */
export function globLiteral(pattern: string): string | undefined {
  const tokens = tokenize(pattern);
  return tokens.some((token) => token < 0) ? undefined : literalText(tokens);
}

/** Characters Redis's glob treats specially; they are escaped with `\` when literal in our glob. */
const REDIS_SPECIALS = new Set(["*", "?", "[", "]", "\\"]);

/** Wildcards kept in a Redis MATCH pattern; far below Redis's own limit of 1,000 nested stars. */
const REDIS_MAX_STARS = 64;

/**
 * Translates one of our glob patterns into a Redis `SCAN ... MATCH` pattern.
 *
 * Literal characters that Redis's glob would interpret (`[`, `]`, `\`, and escaped `*` and `?`) are
 * escaped, so classes never appear. Redis matches bytes while our `?` matches one character (1 to 4
 * UTF-8 bytes), so each `?` becomes `?*` (one byte or more). The result therefore matches exactly
 * the same keys when the pattern has no `?`, and a superset when it has: a store must confirm every
 * `SCAN` hit with {@link compileGlob} before acting on it (cheap next to the round trip). Past 64
 * wildcards the rest of the pattern becomes one `*` (also a superset): Redis matches nothing with more
 * than 1,000 nested stars.
 *
 * @example
 * ```ts
 * toRedisMatchPattern("/modules/*"); // "/modules/*"
 * toRedisMatchPattern("a[1]*"); // "a\\[1\\]*"
 * toRedisMatchPattern("user:?"); // "user:?*": filter SCAN hits with compileGlob("user:?")
 * ```
 */
export function toRedisMatchPattern(pattern: string): string {
  let out = "";
  let stars = 0;
  for (const token of tokenize(pattern)) {
    if (token === STAR || token === ANY) {
      // Redis matches nothing past 1,000 nested stars (its ReDoS guard): past REDIS_MAX_STARS the
      // rest of the pattern becomes one `*`, a superset that the caller's compileGlob filter narrows.
      if (++stars > REDIS_MAX_STARS) return `${out}*`;
      out += token === STAR ? "*" : "?*";
    } else {
      const char = String.fromCharCode(token);
      out += REDIS_SPECIALS.has(char) ? `\\${char}` : char;
    }
  }
  return out;
}
