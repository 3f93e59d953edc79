import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CacheError } from "../../src/errors.js";
import { decodeEnvelope, encodeEnvelope } from "../../src/stores/redis/envelope.js";
import type { CacheEntry } from "../../src/types.js";

// Epoch milliseconds: any double (-0 aside, which no clock returns), infinities included.
const time = fc.oneof(
  fc.double({ noNaN: true }).map((t) => t + 0),
  fc.integer(),
);
const tags = fc.option(fc.array(fc.string({ unit: "grapheme" })), { nil: undefined });
const payload = fc.oneof(
  fc.string({ unit: "grapheme" }),
  fc.uint8Array().map((bytes) => Buffer.from(bytes)),
);

function entryOf(expiresAt: number, staleUntil: number, tagList: string[] | undefined): CacheEntry {
  const base = { value: null, expiresAt, staleUntil };
  return tagList === undefined ? base : { ...base, tags: tagList };
}

describe("the Redis entry envelope", () => {
  it("round-trips lifetimes, tags (absent, empty or any text) and text or binary payloads", () => {
    fc.assert(
      fc.property(time, time, tags, payload, (expiresAt, staleUntil, tagList, data) => {
        const stored = encodeEnvelope(entryOf(expiresAt, staleUntil, tagList), data);
        const back = decodeEnvelope(typeof stored === "string" ? Buffer.from(stored) : stored);
        expect(back).toStrictEqual({ expiresAt, staleUntil, tags: tagList, payload: data });
      }),
    );
  });

  it("reads a text entry that a client returned as a string", () => {
    const stored = encodeEnvelope(entryOf(1, 2, ["é"]), '{"a":1}') as string;
    expect(decodeEnvelope(stored)).toStrictEqual({
      expiresAt: 1,
      staleUntil: 2,
      tags: ["é"],
      payload: '{"a":1}',
    });
  });

  it("refuses a binary entry that a client returned as a string, since its bytes are lost", () => {
    const stored = encodeEnvelope(entryOf(1, 2, undefined), Buffer.from([0xff]));
    expect(() => decodeEnvelope(stored.toString("latin1"))).toThrow(CacheError);
  });

  it("refuses values it did not write with a typed error", () => {
    for (const bad of ["hello", "2,1,2,s,,x", "1,x,2,s,,", "1,1,2,q,,", "1,1,2,s,3,10,ab", "1,1"]) {
      expect(() => decodeEnvelope(Buffer.from(bad))).toThrow(
        expect.objectContaining({ code: "ERR_KEEL_CACHE_SERIALIZE" }),
      );
    }
  });
});
