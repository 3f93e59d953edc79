import { describe, expect, it } from "vitest";
import { difference, median, range, ratio } from "../src/stats.js";

describe("median", () => {
  it("takes the middle value of an odd count", () => {
    expect(median([5, 1, 3])).toBe(3);
  });

  it("averages the two middle values of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("ignores values that are not finite", () => {
    expect(median([Number.NaN, 7, Number.POSITIVE_INFINITY, 1, 4])).toBe(4);
  });

  it("is NaN for no values", () => {
    expect(median([])).toBeNaN();
  });

  it("leaves its input unsorted", () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe("ratio and difference", () => {
  it("divides by the base", () => {
    expect(ratio(150, 100)).toBe(1.5);
  });

  it("is NaN against a zero, missing or non-finite base", () => {
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(1, undefined)).toBeNaN();
    expect(ratio(1, Number.NaN)).toBeNaN();
  });

  it("subtracts the base", () => {
    expect(difference(12.5, 10)).toBe(2.5);
    expect(difference(1, undefined)).toBeNaN();
  });
});

describe("range", () => {
  it("spans the finite values", () => {
    expect(range([3, Number.NaN, 9, 1])).toEqual({ min: 1, max: 9 });
    expect(range([])).toEqual({ min: Number.NaN, max: Number.NaN });
  });
});
