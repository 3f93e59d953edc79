import { coarseClock } from "@keel/http";
import { describe, expect, it } from "vitest";
import { systemClock } from "../src/clock.js";
import { createFakeClock } from "../src/testing/index.js";

describe("systemClock", () => {
  it("is the coarse clock @keel/http shares with the rate limiter (one timer per process)", () => {
    expect(systemClock).toBe(coarseClock);
  });
});

describe("createFakeClock", () => {
  it("moves only when told to", () => {
    const clock = createFakeClock(100);
    expect(clock.now()).toBe(100);
    clock.advance(50.5);
    expect(clock.now()).toBe(150.5);
    clock.set(10);
    expect(clock.now()).toBe(10);
    expect(createFakeClock().now()).toBe(1_700_000_000_000);
  });

  it("refuses to move backwards with advance", () => {
    expect(() => createFakeClock().advance(-1)).toThrow(RangeError);
    expect(() => createFakeClock().advance(Number.NaN)).toThrow(RangeError);
  });
});
