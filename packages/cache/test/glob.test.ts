import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileGlob, globLiteral, toRedisMatchPattern } from "../src/glob.js";

type Token = { star: true } | { any: true } | { lit: string };

/** Parses a pattern into code-point tokens, independently of the code under test. */
function parse(pattern: string): Token[] {
  const chars = Array.from(pattern);
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === "*") tokens.push({ star: true });
    else if (c === "?") tokens.push({ any: true });
    else if (c === "\\" && i + 1 < chars.length) tokens.push({ lit: chars[++i] as string });
    else tokens.push({ lit: c });
  }
  return tokens;
}

/** The textbook dynamic-programming matcher over code points: obviously right, quadratic. */
function referenceMatch(pattern: string, key: string): boolean {
  const tokens = parse(pattern);
  const chars = Array.from(key);
  let row = new Array<boolean>(chars.length + 1).fill(false);
  row[0] = true;
  for (const token of tokens) {
    const next = new Array<boolean>(chars.length + 1).fill(false);
    if ("star" in token) {
      next[0] = row[0] as boolean;
      for (let j = 1; j <= chars.length; j++) next[j] = (row[j] as boolean) || (next[j - 1] as boolean);
    } else {
      for (let j = 1; j <= chars.length; j++) {
        next[j] = (row[j - 1] as boolean) && ("any" in token || token.lit === chars[j - 1]);
      }
    }
    row = next;
  }
  return row[chars.length] as boolean;
}

/** Redis's byte glob (util.c stringmatchlen) for `*`, `?`, `\`; an unescaped `[` is a failure here. */
function redisMatch(pattern: Uint8Array, key: Uint8Array, p = 0, k = 0): boolean {
  while (p < pattern.length) {
    const c = pattern[p] as number;
    if (c === 0x2a) {
      while (pattern[p + 1] === 0x2a) p++;
      if (p + 1 === pattern.length) return true;
      for (let s = k; s <= key.length; s++) if (redisMatch(pattern, key, p + 1, s)) return true;
      return false;
    }
    if (c === 0x5b) throw new Error("unescaped [ would start a Redis character class");
    if (k >= key.length) return false;
    if (c === 0x3f) {
      k++;
      p++;
      continue;
    }
    let literal = c;
    if (c === 0x5c && p + 1 < pattern.length) literal = pattern[++p] as number;
    if (literal !== key[k]) return false;
    k++;
    p++;
  }
  return k === key.length;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const alphabet = ["a", "b", "/", ":", "é", "😀", "[", "]", "\\", "*", "?"];
const keyArb = fc.array(fc.constantFrom(...alphabet), { maxLength: 12 }).map((parts) => parts.join(""));
const patternArb = fc
  .array(fc.constantFrom(...alphabet, "*", "?", "\\"), { maxLength: 8 })
  .map((p) => p.join(""));

describe("compileGlob", () => {
  it("matches exactly the keys the reference matcher matches", () => {
    fc.assert(
      fc.property(patternArb, fc.array(keyArb, { maxLength: 20 }), (pattern, keys) => {
        const matches = compileGlob(pattern);
        for (const key of keys) expect(matches(key)).toBe(referenceMatch(pattern, key));
      }),
      { numRuns: 2000 },
    );
  });

  it("matches keys built from the pattern itself", () => {
    // Keys derived from the pattern are far more likely to match than random ones.
    const derived = fc
      .tuple(patternArb, fc.array(fc.constantFrom("", "a", "😀", "é/"), { minLength: 8, maxLength: 8 }))
      .map(([pattern, fills]) => {
        let i = 0;
        const key = parse(pattern)
          .map((t) =>
            "lit" in t ? t.lit : "any" in t ? Array.from(`${fills[i++ % 8]}b`)[0] : fills[i++ % 8],
          )
          .join("");
        return { pattern, key };
      });
    fc.assert(
      fc.property(derived, ({ pattern, key }) => {
        expect(compileGlob(pattern)(key)).toBe(referenceMatch(pattern, key));
        expect(referenceMatch(pattern, key)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("treats a star as any run, slashes included", () => {
    const matches = compileGlob("/modules/*");
    expect(matches("/modules/")).toBe(true);
    expect(matches("/modules/a/b")).toBe(true);
    expect(matches("/tutorials/a")).toBe(false);
    expect(compileGlob("*")("")).toBe(true);
    expect(compileGlob("*.json")("a/b.json")).toBe(true);
    expect(compileGlob("*.json")("a/b.jsonx")).toBe(false);
  });

  it("counts an emoji as one character for ?", () => {
    expect(compileGlob("?")("😀")).toBe(true);
    expect(compileGlob("??")("😀")).toBe(false);
    expect(compileGlob("*??")("😀")).toBe(false);
    expect(compileGlob("caf?")("café")).toBe(true);
    expect(compileGlob("?")("")).toBe(false);
  });

  it("makes escaped and bracket characters literal", () => {
    expect(compileGlob("a\\*")("a*")).toBe(true);
    expect(compileGlob("a\\*")("ab")).toBe(false);
    expect(compileGlob("a\\?")("ab")).toBe(false);
    expect(compileGlob("[ab]")("[ab]")).toBe(true);
    expect(compileGlob("[ab]")("a")).toBe(false);
    expect(compileGlob("a\\")("a\\")).toBe(true);
    expect(compileGlob("a\\\\*")("a\\b")).toBe(true);
  });

  it("finishes adversarial patterns on long keys without exponential backtracking", () => {
    const key = "a".repeat(200_000);
    expect(compileGlob("*a*a*a*a*b")(key)).toBe(false);
    expect(compileGlob("*a*a*a*a*a")(key)).toBe(true);
    expect(compileGlob(`${"*a".repeat(30)}*b`)("a".repeat(20_000))).toBe(false);
    expect(compileGlob("*?*?*?*b")("😀".repeat(50_000))).toBe(false);
  });

  it("compiles patterns far longer than a function's argument limit", () => {
    const long = "k".repeat(300_000);
    expect(compileGlob(long)(long)).toBe(true);
    expect(compileGlob(`${long}*`)(`${long}!`)).toBe(true);
    expect(globLiteral(long)).toBe(long);
  });

  it("rejects a pattern that is not a string", () => {
    expect(() => compileGlob(42 as unknown as string)).toThrow(
      expect.objectContaining({ code: "ERR_KEEL_CACHE_ARGUMENT" }),
    );
  });
});

describe("globLiteral", () => {
  it("gives the single key a wildcard-free pattern matches, escapes resolved", () => {
    expect(globLiteral("user:1")).toBe("user:1");
    expect(globLiteral("a\\*b\\?")).toBe("a*b?");
    expect(globLiteral("[x]")).toBe("[x]");
    expect(globLiteral("user:*")).toBeUndefined();
    expect(globLiteral("user:?")).toBeUndefined();
  });

  it("agrees with compileGlob: a literal matches itself and nothing else", () => {
    fc.assert(
      fc.property(patternArb, keyArb, (pattern, key) => {
        const literal = globLiteral(pattern);
        if (literal === undefined) return;
        expect(compileGlob(pattern)(literal)).toBe(true);
        expect(compileGlob(pattern)(key)).toBe(key === literal);
      }),
    );
  });
});

describe("toRedisMatchPattern", () => {
  it("escapes Redis specials so no character class can appear", () => {
    expect(toRedisMatchPattern("/modules/*")).toBe("/modules/*");
    expect(toRedisMatchPattern("a[1]*")).toBe("a\\[1\\]*");
    expect(toRedisMatchPattern("a\\*b\\?")).toBe("a\\*b\\?");
    expect(toRedisMatchPattern("back\\\\slash")).toBe("back\\\\slash");
    expect(toRedisMatchPattern("user:?")).toBe("user:?*");
  });

  it("makes Redis match exactly our keys without ?, and a superset with ?", () => {
    fc.assert(
      fc.property(patternArb, fc.array(keyArb, { maxLength: 20 }), (pattern, keys) => {
        const redisPattern = utf8(toRedisMatchPattern(pattern));
        const exact = !parse(pattern).some((t) => "any" in t);
        for (const key of keys) {
          const ours = compileGlob(pattern)(key);
          const redis = redisMatch(redisPattern, utf8(key));
          if (exact) expect(redis).toBe(ours);
          else if (ours) expect(redis).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
