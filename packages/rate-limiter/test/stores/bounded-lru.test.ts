import { describe, expect, it } from "vitest";
import { BoundedLru } from "../../src/stores/bounded-lru.js";

function keysOf(lru: BoundedLru<number>): string[] {
  return [...lru.entries()].map(([key]) => key);
}

describe("BoundedLru", () => {
  it("forgets the least recently used key when a new key arrives at the bound", () => {
    const lru = new BoundedLru<number>(3);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.set("c", 3);
    lru.set("d", 4);
    expect(lru.size).toBe(3);
    expect(lru.peek("a")).toBeUndefined();
    expect(keysOf(lru)).toEqual(["b", "c", "d"]);
  });

  it("counts a get as a use and a peek as none", () => {
    const lru = new BoundedLru<number>(3);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.set("c", 3);
    expect(lru.get("a")).toBe(1);
    expect(lru.peek("b")).toBe(2);
    lru.set("d", 4);
    expect(keysOf(lru)).toEqual(["c", "a", "d"]);
    expect(lru.get("b")).toBeUndefined();
  });

  it("replaces the value of a key it has, as a use, without evicting anything", () => {
    const lru = new BoundedLru<number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.set("a", 10);
    expect(lru.size).toBe(2);
    expect(keysOf(lru)).toEqual(["b", "a"]);
    expect(lru.peek("a")).toBe(10);
  });

  it("reuses the slots of deleted keys and keeps the order of the others", () => {
    const lru = new BoundedLru<number>(3);
    for (const [i, key] of ["a", "b", "c"].entries()) lru.set(key, i);
    expect(lru.delete("b")).toBe(true);
    expect(lru.delete("b")).toBe(false);
    expect(lru.delete("never")).toBe(false);
    lru.set("d", 3);
    lru.set("e", 4);
    expect(keysOf(lru)).toEqual(["c", "d", "e"]);
    expect(lru.delete("e")).toBe(true);
    expect(lru.delete("c")).toBe(true);
    expect(keysOf(lru)).toEqual(["d"]);
    expect(lru.delete("d")).toBe(true);
    expect(keysOf(lru)).toEqual([]);
    lru.set("f", 5);
    expect(keysOf(lru)).toEqual(["f"]);
  });

  it("grows past its first arrays and never holds more than max", () => {
    const max = 5_000;
    const lru = new BoundedLru<number>(max);
    for (let i = 0; i < 3 * max; i++) {
      lru.set(`k${i}`, i);
      if (i % 7 === 0) lru.get(`k${i - 3}`);
    }
    expect(lru.size).toBe(max);
    const keys = keysOf(lru);
    expect(new Set(keys).size).toBe(max);
    for (const key of keys) expect(lru.peek(key)).toBe(Number(key.slice(1)));
    // The newest key is always kept.
    expect(keys.at(-1)).toBe(`k${3 * max - 1}`);
  });

  it("agrees with a reference model under random operations", () => {
    // A Map keeps insertion order: re-inserting a key makes it the most recent.
    const max = 8;
    const lru = new BoundedLru<number>(max);
    const model = new Map<string, number>();
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let step = 0; step < 20_000; step++) {
      const key = `k${random(20)}`;
      const op = random(4);
      if (op === 0) {
        lru.set(key, step);
        model.delete(key);
        model.set(key, step);
        if (model.size > max) model.delete(model.keys().next().value as string);
      } else if (op === 1) {
        const value = model.get(key);
        if (value !== undefined) {
          model.delete(key);
          model.set(key, value);
        }
        expect(lru.get(key)).toBe(value);
      } else if (op === 2) {
        expect(lru.peek(key)).toBe(model.get(key));
      } else {
        expect(lru.delete(key)).toBe(model.delete(key));
      }
      expect(lru.size).toBe(model.size);
    }
    expect(keysOf(lru)).toEqual([...model.keys()]);
  });

  it("forgets everything on clear and works again afterwards", () => {
    const lru = new BoundedLru<number>(2);
    lru.set("a", 1);
    lru.set("b", 2);
    lru.clear();
    expect(lru.size).toBe(0);
    expect(lru.get("a")).toBeUndefined();
    expect(keysOf(lru)).toEqual([]);
    lru.set("c", 3);
    lru.set("d", 4);
    lru.set("e", 5);
    expect(keysOf(lru)).toEqual(["d", "e"]);
  });
});
