import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ifNoneMatchMatches, notModified } from "../../src/middleware/conditional.js";
import { formatHttpDate, parseHttpDate } from "../../src/middleware/http-date.js";

describe("ifNoneMatchMatches", () => {
  it("compares weakly: W/ on either side does not matter", () => {
    expect(ifNoneMatchMatches('"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchMatches('W/"abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchMatches('"abc"', 'W/"abc"')).toBe(true);
    expect(ifNoneMatchMatches('"abd"', '"abc"')).toBe(false);
  });

  it("finds the tag anywhere in a list, commas inside tags included", () => {
    expect(ifNoneMatchMatches('"a,b", W/"c" , "abc"', '"abc"')).toBe(true);
    expect(ifNoneMatchMatches('"a,b"', '"a"')).toBe(false);
    expect(ifNoneMatchMatches('"unterminated', '"unterminated"')).toBe(false);
    expect(ifNoneMatchMatches("no quotes at all", '"x"')).toBe(false);
  });

  it("matches * whenever the representation exists, and nothing without an ETag", () => {
    expect(ifNoneMatchMatches(" * ", undefined)).toBe(true);
    expect(ifNoneMatchMatches('"x"', undefined)).toBe(false);
  });

  it("matches a tag listed among any others", () => {
    const tag = fc.stringMatching(/^[\x21\x23-\x7e]{0,12}$/).map((t) => `"${t}"`);
    fc.assert(
      fc.property(fc.array(tag), tag, fc.array(tag), fc.boolean(), (before, wanted, after, weak) => {
        const list = [...before, weak ? `W/${wanted}` : wanted, ...after].join(", ");
        expect(ifNoneMatchMatches(list, wanted)).toBe(true);
      }),
    );
  });
});

describe("notModified", () => {
  const lastModified = Date.UTC(2024, 0, 1, 12, 0, 0, 500);

  it("prefers If-None-Match over If-Modified-Since", () => {
    const since = formatHttpDate(lastModified + 60_000);
    expect(notModified({ ifNoneMatch: '"x"', ifModifiedSince: since }, { etag: '"y"', lastModified })).toBe(
      false,
    );
  });

  it("compares If-Modified-Since in whole seconds, and ignores invalid dates", () => {
    const at = formatHttpDate(lastModified);
    expect(notModified({ ifNoneMatch: undefined, ifModifiedSince: at }, { lastModified })).toBe(true);
    expect(
      notModified(
        { ifNoneMatch: undefined, ifModifiedSince: formatHttpDate(lastModified - 1000) },
        { lastModified },
      ),
    ).toBe(false);
    expect(
      notModified({ ifNoneMatch: undefined, ifModifiedSince: "not a date at all, no" }, { lastModified }),
    ).toBe(false);
    expect(notModified({ ifNoneMatch: undefined, ifModifiedSince: at }, {})).toBe(false);
    expect(notModified({ ifNoneMatch: undefined, ifModifiedSince: undefined }, { lastModified })).toBe(false);
  });
});

describe("parseHttpDate", () => {
  it("reads IMF-fixdate, RFC 850 and asctime, all as GMT", () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT")).toBe(expected);
    expect(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT")).toBe(expected);
    expect(parseHttpDate("Sun Nov  6 08:49:37 1994")).toBe(expected);
  });

  it("refuses what is not a date", () => {
    expect(parseHttpDate("0")).toBeUndefined();
    expect(parseHttpDate(undefined)).toBeUndefined();
    expect(parseHttpDate("Someday, 99 Nov 1994 99:99:99 GMT")).toBeUndefined();
    expect(parseHttpDate(`${"Sun, 06 Nov 1994 08:49:37 GMT".repeat(3)}`)).toBeUndefined();
  });
});
