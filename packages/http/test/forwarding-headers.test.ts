import { describe, expect, it } from "vitest";
import { forwardedForHops, forwardedHops, hopAddress } from "../src/forwarding-headers.js";

describe("forwardedHops", () => {
  it("reads the for= node of each element", () => {
    expect(
      forwardedHops('for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711"'),
    ).toEqual(["192.0.2.60", "[2001:db8:cafe::17]:4711"]);
  });

  it("gives undefined for an element without for=", () => {
    expect(forwardedHops("proto=https;by=10.0.0.1, for=192.0.2.1")).toEqual([undefined, "192.0.2.1"]);
  });

  it("skips empty elements and tolerates spaces around separators", () => {
    expect(forwardedHops(" , for=192.0.2.1 ;  proto=http ,, ;, for=unknown")).toEqual([
      "192.0.2.1",
      "unknown",
    ]);
  });

  it("unescapes quoted strings", () => {
    expect(forwardedHops('for="_a\\"b;,c"')).toEqual(['_a"b;,c']);
  });

  it("ends the list with undefined at a syntax error", () => {
    const malformed = ['for="open', "for", "for=", "=x", "for=1.2.3.4 junk", "for=a;for=b", "by", "for=<x>"];
    for (const header of malformed) {
      const hops = forwardedHops(`for=10.0.0.9, ${header}`);
      expect(hops, header).toEqual(["10.0.0.9", undefined]);
    }
  });

  it("reads a long header in one pass", () => {
    const header = Array.from({ length: 20_000 }, () => 'for="[2001:db8::1]";proto=https').join(", ");
    expect(forwardedHops(header)).toHaveLength(20_000);
  });
});

describe("forwardedForHops", () => {
  it("splits on commas and trims whitespace", () => {
    expect(forwardedForHops(" 1.2.3.4 ,\t5.6.7.8,,")).toEqual(["1.2.3.4", "5.6.7.8"]);
  });
});

describe("hopAddress", () => {
  it("reads addresses with and without ports", () => {
    expect(hopAddress("192.0.2.1")).toBe("192.0.2.1");
    expect(hopAddress("192.0.2.1:80")).toBe("192.0.2.1");
    expect(hopAddress("192.0.2.1:_port")).toBe("192.0.2.1");
    expect(hopAddress("2001:DB8::1")).toBe("2001:db8::1");
    expect(hopAddress("[2001:db8::1]:_p.1-x")).toBe("2001:db8::1");
  });

  it("rejects unknown, obfuscated names and bad ports", () => {
    for (const node of [
      "unknown",
      "_secret",
      "192.0.2.1:",
      "192.0.2.1:_",
      "192.0.2.1:123456",
      "[::1]:",
      `[::1]:_${"a".repeat(40)}`,
      "[::1]:8a",
    ]) {
      expect(hopAddress(node), node).toBeUndefined();
    }
  });
});
