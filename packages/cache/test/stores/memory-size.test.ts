import { describe, expect, it } from "vitest";
import { approximateSize } from "../../src/stores/memory-size.js";

describe("approximateSize", () => {
  it("charges 2 bytes per string character plus a header", () => {
    expect(approximateSize("")).toBe(16);
    expect(approximateSize("hello")).toBe(26);
  });

  it("charges scalars a slot", () => {
    expect(approximateSize(1.5)).toBe(8);
    expect(approximateSize(true)).toBe(4);
    expect(approximateSize(null)).toBe(0);
    expect(approximateSize(undefined)).toBe(8);
    expect(approximateSize(Symbol("s"))).toBe(8);
    expect(approximateSize(2n ** 64n)).toBe(16 + 9);
  });

  it("charges buffers their bytes and dates a slot", () => {
    expect(approximateSize(Buffer.alloc(1_000))).toBe(1_016);
    expect(approximateSize(new Uint32Array(10))).toBe(56);
    expect(approximateSize(new ArrayBuffer(8))).toBe(24);
    expect(approximateSize(new Date(0))).toBe(24);
  });

  it("walks arrays, maps, sets and plain objects", () => {
    expect(approximateSize([1, 2])).toBe(16 + 2 * (8 + 8));
    expect(approximateSize(new Map([["a", 1]]))).toBe(16 + 16 + 18 + 8);
    expect(approximateSize(new Set(["a"]))).toBe(16 + 8 + 18);
    expect(approximateSize({ ab: 1 })).toBe(16 + 8 + 4 + 8);
    const inherited = Object.create({ hidden: "x".repeat(100) });
    inherited.own = 1;
    expect(approximateSize(inherited)).toBe(16 + 8 + 6 + 8);
  });

  it("counts a shared or cyclic object once", () => {
    const shared = { big: "x".repeat(1_000) };
    const cyclic: Record<string, unknown> = { shared };
    cyclic.self = cyclic;
    const once = approximateSize({ shared });
    expect(approximateSize({ a: shared, b: shared })).toBeLessThan(2 * once);
    expect(Number.isFinite(approximateSize(cyclic))).toBe(true);
  });
});
