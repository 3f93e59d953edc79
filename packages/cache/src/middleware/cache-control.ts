// Cache-Control parsing (RFC 9111 section 5.2): a comma-separated list of `name` or `name=value`
// directives, where a value is a token or a quoted string that may itself contain commas
// (`no-cache="Set-Cookie, X-Foo"`). Names are case-insensitive. A repeated directive keeps its
// first occurrence (section 4.2.1 allows using the first).

/** Directive names (lower case) to their values: `true` for a directive without a value. */
export type Directives = ReadonlyMap<string, string | true>;

const EMPTY: Directives = new Map();

/** Parses a Cache-Control field value; `undefined` or garbage gives what could be read, never throws. */
export function parseCacheControl(value: string | undefined): Directives {
  if (value === undefined || value === "") return EMPTY;
  const directives = new Map<string, string | true>();
  let i = 0;
  const n = value.length;
  while (i < n) {
    while (i < n && (value[i] === " " || value[i] === "\t" || value[i] === ",")) i++;
    const nameStart = i;
    while (i < n && value[i] !== "=" && value[i] !== "," && value[i] !== " " && value[i] !== "\t") i++;
    const name = value.slice(nameStart, i).toLowerCase();
    while (i < n && (value[i] === " " || value[i] === "\t")) i++;
    let directive: string | true = true;
    if (value[i] === "=") {
      i++;
      while (i < n && (value[i] === " " || value[i] === "\t")) i++;
      if (value[i] === '"') {
        let text = "";
        i++;
        while (i < n && value[i] !== '"') {
          if (value[i] === "\\" && i + 1 < n) i++;
          text += value[i];
          i++;
        }
        i++; // the closing quote
        directive = text;
      } else {
        const start = i;
        while (i < n && value[i] !== "," && value[i] !== " " && value[i] !== "\t") i++;
        directive = value.slice(start, i);
      }
    }
    // Skip anything up to the next comma (malformed trailing text).
    while (i < n && value[i] !== ",") i++;
    if (name !== "" && !directives.has(name)) directives.set(name, directive);
  }
  return directives;
}

/**
 * The delta-seconds value of a directive (`max-age=60`): a non-negative integer, `undefined` when
 * the directive is absent, and `0` when it is present but invalid (section 4.2.1: a cache should
 * consider a response with invalid freshness information stale). Huge values are capped at 2^31 s
 * (section 1.2.2).
 */
export function deltaSeconds(directives: Directives, name: string): number | undefined {
  const value = directives.get(name);
  if (value === undefined) return undefined;
  if (value === true || !/^\d+$/.test(value)) return 0;
  return Math.min(Number(value), 2 ** 31);
}
