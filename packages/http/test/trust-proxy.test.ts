import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileTrustProxy, HttpError } from "../src/index.js";

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof HttpError ? error.code : "not an HttpError";
  }
  return undefined;
}

describe("compileTrustProxy", () => {
  it("trusts nobody by default and when false", () => {
    for (const trust of [
      compileTrustProxy(),
      compileTrustProxy(false),
      compileTrustProxy(0),
      compileTrustProxy([]),
    ]) {
      expect(trust("127.0.0.1", 0)).toBe(false);
    }
  });

  it("trusts every hop when true", () => {
    expect(compileTrustProxy(true)("203.0.113.1", 7)).toBe(true);
  });

  it("trusts the first n hops for a number", () => {
    const trust = compileTrustProxy(2);
    expect([0, 1, 2, 3].map((hop) => trust("203.0.113.1", hop))).toEqual([true, true, false, false]);
  });

  it("matches single addresses in any spelling", () => {
    const trust = compileTrustProxy(["2001:db8::1", "192.0.2.7"]);
    expect(trust("2001:db8::1", 0)).toBe(true);
    expect(trust("2001:0db8:0:0::0001", 0)).toBe(true);
    expect(trust("::ffff:192.0.2.7", 0)).toBe(true);
    expect(trust("192.0.2.8", 0)).toBe(false);
    expect(trust("not an address", 0)).toBe(false);
  });

  it("matches IPv4 and IPv6 CIDR ranges", () => {
    const trust = compileTrustProxy("10.0.0.0/8, 2001:db8:1200::/40");
    expect(trust("10.255.0.1", 0)).toBe(true);
    expect(trust("11.0.0.1", 0)).toBe(false);
    expect(trust("2001:db8:12ff:ffff::1", 0)).toBe(true);
    expect(trust("2001:db8:1300::1", 0)).toBe(false);
  });

  it("ignores host bits set past the prefix, as Express does", () => {
    expect(compileTrustProxy("10.1.2.3/8")("10.200.0.1", 0)).toBe(true);
  });

  it("reads IPv4 netmasks and rejects non-contiguous ones", () => {
    expect(compileTrustProxy("10.0.0.0/255.0.0.0")("10.9.9.9", 0)).toBe(true);
    expect(compileTrustProxy("10.0.0.0/255.255.255.255")("10.0.0.1", 0)).toBe(false);
    expect(compileTrustProxy("0.0.0.0/0.0.0.0")("8.8.8.8", 0)).toBe(true);
    expect(codeOf(() => compileTrustProxy("10.0.0.0/255.0.255.0"))).toBe("ERR_KEEL_HTTP_TRUST_PROXY");
    expect(codeOf(() => compileTrustProxy("2001:db8::/ffff::"))).toBe("ERR_KEEL_HTTP_TRUST_PROXY");
    expect(codeOf(() => compileTrustProxy("10.0.0.0/::ffff:255.0.0.0"))).toBe("ERR_KEEL_HTTP_TRUST_PROXY");
  });

  it("lets an IPv6 range that covers mapped addresses cover IPv4 clients", () => {
    expect(compileTrustProxy("::/0")("192.0.2.1", 0)).toBe(true);
    expect(compileTrustProxy("::ffff:0:0/96")("192.0.2.1", 0)).toBe(true);
    expect(compileTrustProxy("::ffff:10.0.0.0/104")("10.3.2.1", 0)).toBe(true);
    expect(compileTrustProxy("::ffff:10.0.0.0/104")("11.3.2.1", 0)).toBe(false);
  });

  it("knows the named ranges", () => {
    const cases: [string, string, boolean][] = [
      ["loopback", "127.0.0.1", true],
      ["loopback", "127.255.0.9", true],
      ["loopback", "::1", true],
      ["loopback", "::2", false],
      ["linklocal", "169.254.3.4", true],
      ["linklocal", "fe80::1", true],
      ["linklocal", "febf::1", true],
      ["linklocal", "fec0::1", false],
      ["uniquelocal", "10.0.0.1", true],
      ["uniquelocal", "172.16.0.1", true],
      ["uniquelocal", "172.31.255.255", true],
      ["uniquelocal", "172.32.0.1", false],
      ["uniquelocal", "192.168.1.1", true],
      ["uniquelocal", "fd12::1", true],
      ["uniquelocal", "fe00::1", false],
    ];
    for (const [name, address, expected] of cases) {
      expect(compileTrustProxy(name)(address, 0), `${name} ${address}`).toBe(expected);
    }
  });

  it("uses a function as it is", () => {
    const rule = (address: string, hop: number) => hop === 0 && address === "::1";
    expect(compileTrustProxy(rule)).toBe(rule);
  });

  it("rejects bad settings eagerly with a coded error that names the entry", () => {
    const bad: unknown[] = [
      -1,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      "",
      "10.0.0.0/33",
      "2001:db8::/129",
      "10.0.0.0/08",
      "10.0.0.0/",
      "10.0.0.0/-1",
      "localhost",
      "10.0.0.0/8, nope",
      [42],
      null,
      {},
    ];
    for (const value of bad) {
      expect(
        codeOf(() => compileTrustProxy(value as never)),
        String(value),
      ).toBe("ERR_KEEL_HTTP_TRUST_PROXY");
    }
    expect(() => compileTrustProxy("10.0.0.0/33")).toThrow(/10\.0\.0\.0\/33.*\/0 to \/32/);
    expect(() => compileTrustProxy("localhost")).toThrow(/loopback, linklocal, uniquelocal$/);
    expect(() => compileTrustProxy("1")).toThrow(/pass the number 1, not a string/);
  });

  it("matches a /n range exactly on the addresses sharing its first n bits", () => {
    const ipv4 = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }));
    const dotted = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 0xff).join(".");
    fc.assert(
      fc.property(ipv4, fc.integer({ min: 0, max: 32 }), ([network, address], prefix) => {
        const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
        const trust = compileTrustProxy(`${dotted(network)}/${prefix}`);
        expect(trust(dotted(address), 0)).toBe((network & mask) >>> 0 === (address & mask) >>> 0);
      }),
      { numRuns: 1000 },
    );
  });
});
