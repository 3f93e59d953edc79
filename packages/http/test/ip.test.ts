import { isIP } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeIp } from "../src/index.js";

/** The WHATWG URL serializer is RFC 5952 canonical (it never uses a dotted tail). */
const whatwgIPv6 = (address: string): string => new URL(`http://[${address}]`).hostname.slice(1, -1);

const groupsArb = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });
// Zero groups are common in real addresses; make runs of them likely.
const sparseGroupsArb = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
  minLength: 8,
  maxLength: 8,
});

interface Spelling {
  readonly padding: readonly number[];
  readonly upper: readonly boolean[];
  readonly compressAt: number;
  readonly dottedTail: boolean;
  readonly zone: string | undefined;
}

const spellingArb: fc.Arbitrary<Spelling> = fc.record({
  padding: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
  upper: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  compressAt: fc.integer({ min: -1, max: 7 }),
  dottedTail: fc.boolean(),
  zone: fc.option(fc.stringMatching(/^[a-z0-9]{1,8}$/), { nil: undefined }),
});

/** Writes the groups one of the many legal ways: padded, mixed case, any zero run compressed. */
function spell(groups: readonly number[], how: Spelling): string {
  const parts = groups.map((group, i) => {
    const hex = group.toString(16).padStart(Math.min(4, group.toString(16).length + how.padding[i]!), "0");
    return how.upper[i] ? hex.toUpperCase() : hex;
  });
  const last = groups.length;
  let tail = parts;
  if (how.dottedTail) {
    const [high, low] = [groups[6]!, groups[7]!];
    tail = [...parts.slice(0, 6), `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`];
  }
  let text = tail.join(":");
  const start = how.compressAt;
  if (start >= 0 && start < (how.dottedTail ? 6 : last) && groups[start] === 0) {
    let end = start;
    while (end < (how.dottedTail ? 6 : last) && groups[end] === 0) end++;
    text = `${tail.slice(0, start).join(":")}::${tail.slice(end).join(":")}`;
  }
  return how.zone === undefined ? text : `${text}%${how.zone}`;
}

describe("normalizeIp", () => {
  it("keeps a canonical IPv4 address as it is", () => {
    expect(normalizeIp("192.0.2.7")).toBe("192.0.2.7");
    expect(normalizeIp("0.0.0.0")).toBe("0.0.0.0");
    expect(normalizeIp("255.255.255.255")).toBe("255.255.255.255");
  });

  it("rejects IPv4 spellings that other parsers read differently", () => {
    for (const text of [
      "01.2.3.4",
      "1.2.3",
      "1.2.3.4.5",
      "256.1.1.1",
      "1.2.3.4 ",
      " 1.2.3.4",
      "1..2.3",
      "+1.2.3.4",
      "0x1.2.3.4",
      "1.2.3.4.",
    ]) {
      expect(normalizeIp(text), text).toBeUndefined();
    }
  });

  it("writes IPv6 in RFC 5952 form", () => {
    expect(normalizeIp("2001:0DB8:0000:0000:0000:0000:0000:0001")).toBe("2001:db8::1");
    expect(normalizeIp("2001:db8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1");
    expect(normalizeIp("2001:db8:0:1:1:1:1:1")).toBe("2001:db8:0:1:1:1:1:1");
    expect(normalizeIp("0:0:0:0:0:0:0:0")).toBe("::");
    expect(normalizeIp("0:0:0:0:0:0:0:1")).toBe("::1");
    expect(normalizeIp("1:0:0:0:0:0:0:0")).toBe("1::");
    expect(normalizeIp("1:0:0:2:0:0:0:3")).toBe("1:0:0:2::3");
  });

  it("turns IPv4-mapped IPv6 into the IPv4 address", () => {
    expect(normalizeIp("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(normalizeIp("::FFFF:c000:0207")).toBe("192.0.2.7");
    expect(normalizeIp("0:0:0:0:0:ffff:192.0.2.7")).toBe("192.0.2.7");
  });

  it("keeps other embedded IPv4 forms as IPv6", () => {
    expect(normalizeIp("::192.0.2.7")).toBe("::c000:207");
    expect(normalizeIp("64:ff9b::192.0.2.7")).toBe("64:ff9b::c000:207");
  });

  it("drops a zone id and rejects a malformed one", () => {
    expect(normalizeIp("fe80::1%eth0")).toBe("fe80::1");
    expect(normalizeIp("FE80::1%25")).toBe("fe80::1");
    expect(normalizeIp("fe80::1%")).toBeUndefined();
    expect(normalizeIp("fe80::1%eth 0")).toBeUndefined();
    expect(normalizeIp(`fe80::1%${"a".repeat(33)}`)).toBeUndefined();
    expect(normalizeIp("192.0.2.7%eth0")).toBeUndefined();
  });

  it("rejects malformed IPv6", () => {
    const bad = [
      "1:2:3:4:5:6:7:8:9",
      "1:2:3:4:5:6:7:8::",
      "1::2::3",
      ":1",
      "1:",
      "1:::2",
      "12345::",
      "::g",
      "[::1]",
      "::1:2:3:4:5:6:7:8",
      "1:2:3:4:5:6:7:1.2.3.4",
      "::1.2.3",
      "::01.2.3.4",
      "1.2.3.4::",
    ];
    for (const text of bad) expect(normalizeIp(text), text).toBeUndefined();
  });

  it("rejects input longer than any address without reading it", () => {
    expect(normalizeIp(`${"0".repeat(70)}:1`)).toBeUndefined();
    expect(normalizeIp(":".repeat(1_000_000))).toBeUndefined();
    expect(normalizeIp(`1.2.3.4${" ".repeat(100)}`)).toBeUndefined();
  });

  it("returns undefined for values that are not strings", () => {
    expect(normalizeIp(undefined as unknown as string)).toBeUndefined();
    expect(normalizeIp(42 as unknown as string)).toBeUndefined();
    expect(normalizeIp("")).toBeUndefined();
  });

  it("gives every spelling of one IPv6 address the same string", () => {
    fc.assert(
      fc.property(sparseGroupsArb, spellingArb, spellingArb, (groups, a, b) => {
        const first = normalizeIp(spell(groups, a));
        expect(first).toBeDefined();
        expect(normalizeIp(spell(groups, b))).toBe(first);
      }),
      { numRuns: 2000 },
    );
  });

  it("agrees with the WHATWG URL serializer on every non-mapped IPv6 address", () => {
    fc.assert(
      fc.property(fc.oneof(groupsArb, sparseGroupsArb), spellingArb, (groups, how) => {
        const text = spell(groups, { ...how, zone: undefined });
        const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
        fc.pre(!mapped);
        expect(normalizeIp(text)).toBe(whatwgIPv6(text));
      }),
      { numRuns: 2000 },
    );
  });

  it("accepts exactly what node:net accepts, on address-like strings without zones", () => {
    const chars = fc.constantFrom(..."0123456789abcdefABCDEFg:.");
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 45 }), (text) => {
        expect(normalizeIp(text) !== undefined).toBe(isIP(text) !== 0);
      }),
      { numRuns: 5000 },
    );
  });

  it("never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }), fc.string()),
        (text) => {
          const result = normalizeIp(text);
          expect(result === undefined || typeof result === "string").toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(sparseGroupsArb, spellingArb, (groups, how) => {
        const once = normalizeIp(spell(groups, how))!;
        expect(normalizeIp(once)).toBe(once);
      }),
    );
  });
});
