import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deltaSeconds, parseCacheControl } from "../../src/middleware/cache-control.js";

describe("parseCacheControl", () => {
  it("reads directives with and without values, case-insensitively", () => {
    const directives = parseCacheControl("Public, MAX-AGE=60 , s-maxage = 30,no-transform");
    expect([...directives]).toEqual([
      ["public", true],
      ["max-age", "60"],
      ["s-maxage", "30"],
      ["no-transform", true],
    ]);
  });

  it("reads quoted values that contain commas and escapes", () => {
    const directives = parseCacheControl('no-cache="Set-Cookie, X-Foo", private="a\\"b", max-age=5');
    expect(directives.get("no-cache")).toBe("Set-Cookie, X-Foo");
    expect(directives.get("private")).toBe('a"b');
    expect(directives.get("max-age")).toBe("5");
  });

  it("keeps the first of repeated directives and skips malformed text", () => {
    expect(parseCacheControl("max-age=10, max-age=20").get("max-age")).toBe("10");
    expect([...parseCacheControl(",, =x, max-age=1 junk, ,")]).toEqual([["max-age", "1"]]);
    expect(parseCacheControl(undefined).size).toBe(0);
    expect(parseCacheControl("").size).toBe(0);
  });

  it("never throws, whatever the text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        parseCacheControl(text);
      }),
    );
  });
});

describe("deltaSeconds", () => {
  it("reads whole seconds, treats invalid values as 0 and caps huge ones at 2^31", () => {
    const directives = parseCacheControl(
      'max-age=60, s-maxage=abc, stale-if-error, a=99999999999999, b="12"',
    );
    expect(deltaSeconds(directives, "max-age")).toBe(60);
    expect(deltaSeconds(directives, "s-maxage")).toBe(0);
    expect(deltaSeconds(directives, "stale-if-error")).toBe(0);
    expect(deltaSeconds(directives, "a")).toBe(2 ** 31);
    expect(deltaSeconds(directives, "b")).toBe(12);
    expect(deltaSeconds(directives, "absent")).toBeUndefined();
  });
});
