import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CacheError } from "../src/errors.js";
import { jsonSerializer } from "../src/serializer.js";

const roundTrip = (value: unknown): unknown => jsonSerializer.deserialize(jsonSerializer.serialize(value));

function serializeError(value: unknown): CacheError {
  try {
    jsonSerializer.serialize(value);
  } catch (error) {
    expect(error).toBeInstanceOf(CacheError);
    return error as CacheError;
  }
  throw new Error("expected serialize to throw");
}

/** Everything the default serializer promises to restore, nested at random. */
const cacheable = fc.anything({
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withObjectString: true,
  stringUnit: "grapheme",
  key: fc.oneof(fc.string(), fc.constantFrom("$t", "v", "__proto__", "toJSON")),
});

describe("jsonSerializer", () => {
  it("round-trips anything fast-check builds from JSON, Date, Map, Set, BigInt and typed arrays", () => {
    fc.assert(
      fc.property(cacheable, (value) => {
        expect(roundTrip(value)).toStrictEqual(value);
      }),
    );
  });

  it("produces text that is valid JSON, so redis-cli and other tools can read it", () => {
    fc.assert(
      fc.property(cacheable, (value) => {
        expect(() => JSON.parse(jsonSerializer.serialize(value) as string)).not.toThrow();
      }),
    );
  });

  it("restores Buffers as Buffers and Uint8Arrays as Uint8Arrays", () => {
    fc.assert(
      fc.property(fc.uint8Array(), (bytes) => {
        const back = roundTrip({ buffer: Buffer.from(bytes), view: bytes }) as Record<string, unknown>;
        expect(Buffer.isBuffer(back.buffer)).toBe(true);
        expect(back.buffer).toEqual(Buffer.from(bytes));
        expect(Buffer.isBuffer(back.view)).toBe(false);
        expect(back.view).toStrictEqual(bytes);
      }),
    );
  });

  it("restores typed arrays that are views into the middle of a larger buffer", () => {
    const backing = new ArrayBuffer(64);
    const view = new Float64Array(backing, 8, 3);
    view.set([1.5, Number.NaN, -0]);
    expect(roundTrip(view)).toStrictEqual(view);
    expect(roundTrip(backing.slice(0, 16))).toStrictEqual(backing.slice(0, 16));
  });

  it("keeps undefined inside arrays, objects, maps and sets, and on its own", () => {
    const value = { a: undefined, list: [1, undefined, 3], map: new Map([[undefined, undefined]]) };
    expect(roundTrip(value)).toStrictEqual(value);
    expect(roundTrip(new Set([undefined]))).toStrictEqual(new Set([undefined]));
    expect(roundTrip(undefined)).toBeUndefined();
  });

  it("keeps NaN, the infinities, -0, huge BigInts and invalid dates exact", () => {
    const value = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 2n ** 200n];
    expect(roundTrip(value)).toStrictEqual(value);
    expect(Number.isNaN((roundTrip(new Date(Number.NaN)) as Date).getTime())).toBe(true);
  });

  it("keeps plain objects that use the marker key $t as plain objects", () => {
    const value = { $t: "Date", v: 0, nested: { $t: "Map", v: [[1, 2]] } };
    expect(roundTrip(value)).toStrictEqual(value);
  });

  it("keeps a key named __proto__ as an own key, without changing any prototype", () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const back = roundTrip(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(["__proto__", "a"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("copies a value shared by two branches instead of calling it a cycle", () => {
    const shared = { id: 1 };
    expect(roundTrip({ a: shared, b: [shared] })).toStrictEqual({ a: { id: 1 }, b: [{ id: 1 }] });
  });

  it("encodes class instances and boxed primitives as JSON does, honouring toJSON", () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const money = { amount: 5, toJSON: () => "5.00 EUR" };
    const boxed = [new String("s"), new Number(1), new Boolean(false)];
    expect(roundTrip({ p: new Point(1, 2), money, boxed })).toStrictEqual({
      p: { x: 1, y: 2 },
      money: "5.00 EUR",
      boxed: ["s", 1, false],
    });
  });

  it("refuses a cyclic value with a typed error that says where the cycle is", () => {
    const node: Record<string, unknown> = { name: "root", children: [] };
    (node.children as unknown[]).push({ parent: node });
    const error = serializeError(node);
    expect(error.code).toBe("ERR_KEEL_CACHE_SERIALIZE");
    expect(error.message).toContain('$["children"][0]["parent"]');
    expect(error.message).toContain("cyclic");
  });

  it("refuses cycles through maps and sets, and a toJSON that returns its own object", () => {
    const map = new Map<string, unknown>();
    map.set("self", map);
    const set = new Set<unknown>();
    set.add([set]);
    const selfish = {
      toJSON(): unknown {
        return this;
      },
    };
    for (const value of [map, set, selfish])
      expect(serializeError(value).code).toBe("ERR_KEEL_CACHE_SERIALIZE");
  });

  it("refuses functions, symbols and unsupported binary views rather than dropping them", () => {
    expect(serializeError({ f: () => 1 }).message).toContain("function");
    expect(serializeError([Symbol("s")]).message).toContain("symbol");
    expect(serializeError(new DataView(new ArrayBuffer(2))).message).toContain("DataView");
  });

  it("refuses a value nested deeper than the stack allows with a typed error, not a crash", () => {
    let deep: unknown = null;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const error = serializeError(deep);
    expect(error.code).toBe("ERR_KEEL_CACHE_SERIALIZE");
    expect(error.cause).toBeInstanceOf(RangeError);
  });

  it("accepts its own output as a Buffer", () => {
    const text = jsonSerializer.serialize({ at: new Date(5) }) as string;
    expect(jsonSerializer.deserialize(Buffer.from(text))).toStrictEqual({ at: new Date(5) });
  });

  it("rejects text it did not write with a typed error carrying the parse error", () => {
    for (const bad of [
      "{not json",
      '{"$t":"Nope"}',
      '{"$t":"Map","v":[1]}',
      '{"$t":"Set","v":1}',
      '{"$t":"BigInt","v":1}',
      '{"$t":"Buffer","v":1}',
      '{"$t":"Int16Array","v":"AAAA"}',
    ]) {
      let caught: unknown;
      try {
        jsonSerializer.deserialize(bad);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CacheError);
      expect((caught as CacheError).code).toBe("ERR_KEEL_CACHE_SERIALIZE");
      expect((caught as CacheError).cause).toBeInstanceOf(Error);
    }
  });
});
