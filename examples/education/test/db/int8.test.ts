import { describe, expect, it } from "vitest";
import { parseInt8 } from "../../src/db/int8.js";
import { EducationError } from "../../src/errors.js";

describe("parseInt8", () => {
  it("parses bigint text into a number", () => {
    expect([parseInt8("0"), parseInt8("-42"), parseInt8("9007199254740991")]).toEqual([
      0, -42, 9007199254740991,
    ]);
  });

  it("throws a coded error rather than rounding a value past 2^53", () => {
    const attempt = () => parseInt8("9007199254740993");
    expect(attempt).toThrow(EducationError);
    expect(attempt).toThrow(/::text/);
  });
});
