import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { schedule, seededRandom, shuffle } from "../src/schedule.js";

describe("schedule", () => {
  it("makes every round a permutation of all the items", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string(), { maxLength: 20 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (items, rounds, seed) => {
          const order = schedule(items, rounds, seed);
          expect(order).toHaveLength(rounds);
          for (const round of order) expect([...round].sort()).toEqual([...items].sort());
        },
      ),
    );
  });

  it("repeats the same order for the same seed", () => {
    const items = ["a", "b", "c", "d", "e", "f"];
    expect(schedule(items, 4, 7)).toEqual(schedule(items, 4, 7));
  });

  it("shuffles rounds differently from one another", () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const rounds = schedule(items, 5, 12345).map((round) => round.join(","));
    expect(new Set(rounds).size).toBeGreaterThan(1);
  });
});

describe("shuffle", () => {
  it("leaves its input as it was", () => {
    const items = [1, 2, 3, 4];
    shuffle(items, seededRandom(1));
    expect(items).toEqual([1, 2, 3, 4]);
  });

  it("puts every item first about equally often", () => {
    const random = seededRandom(99);
    const firsts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) firsts[shuffle([0, 1, 2, 3], random)[0]!]!++;
    for (const count of firsts) expect(count).toBeGreaterThan(800);
  });
});

describe("seededRandom", () => {
  it("yields numbers in [0, 1)", () => {
    const random = seededRandom(42);
    for (let i = 0; i < 1000; i++) {
      const value = random();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });
});
