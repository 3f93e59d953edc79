import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileTrustProxy, HttpError, ipSubnetKey } from "../src/index.js";

describe("ipSubnetKey", () => {
  it("groups IPv6 clients by /56 by default", () => {
    expect(ipSubnetKey("2001:db8:0:12ab:1::9")).toBe("2001:db8:0:1200::/56");
    expect(ipSubnetKey("2001:db8:0:12ff:ffff:ffff:ffff:ffff")).toBe("2001:db8:0:1200::/56");
  });

  it("keeps IPv4 addresses whole by default, mapped ones included", () => {
    expect(ipSubnetKey("192.0.2.7")).toBe("192.0.2.7");
    expect(ipSubnetKey("::ffff:192.0.2.7")).toBe("192.0.2.7");
  });

  it("honours the prefix options", () => {
    expect(ipSubnetKey("192.0.2.7", { ipv4Prefix: 24 })).toBe("192.0.2.0/24");
    expect(ipSubnetKey("192.0.2.7", { ipv4Prefix: 0 })).toBe("0.0.0.0/0");
    expect(ipSubnetKey("2001:db8::7", { ipv6Prefix: 128 })).toBe("2001:db8::7");
    expect(ipSubnetKey("2001:db8:aaaa:bbbb::7", { ipv6Prefix: 48 })).toBe("2001:db8:aaaa::/48");
    expect(ipSubnetKey("2001:db8::7", { ipv6Prefix: 0 })).toBe("::/0");
    expect(ipSubnetKey("2001:db8:ffff::", { ipv6Prefix: 33 })).toBe("2001:db8:8000::/33");
  });

  it("rejects prefixes out of range with ERR_KEEL_HTTP_IP_PREFIX", () => {
    for (const options of [
      { ipv4Prefix: 33 },
      { ipv4Prefix: -1 },
      { ipv6Prefix: 129 },
      { ipv6Prefix: 1.5 },
      { ipv6Prefix: Number.NaN },
    ]) {
      expect(() => ipSubnetKey("192.0.2.7", options)).toThrow(
        expect.objectContaining({ name: "HttpError", code: "ERR_KEEL_HTTP_IP_PREFIX" }),
      );
    }
  });

  it("rejects input that is not an address with ERR_KEEL_HTTP_INVALID_IP", () => {
    const error = (() => {
      try {
        ipSubnetKey("not-an-ip");
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).code).toBe("ERR_KEEL_HTTP_INVALID_IP");
    expect((error as HttpError).message).toContain('"not-an-ip"');
  });

  it("gives the key of a range every address of that range matches", () => {
    const groups = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(groups, groups, fc.integer({ min: 1, max: 127 }), (a, b, prefix) => {
        fc.pre(a[0] !== 0);
        const [x, y] = [a.map((g) => g.toString(16)).join(":"), b.map((g) => g.toString(16)).join(":")];
        const key = ipSubnetKey(x, { ipv6Prefix: prefix });
        const trust = compileTrustProxy(key);
        expect(trust(x, 0)).toBe(true);
        // Two addresses share a key exactly when they are in the same range.
        if (b[0] !== 0) expect(ipSubnetKey(y, { ipv6Prefix: prefix }) === key).toBe(trust(y, 0));
      }),
      { numRuns: 1000 },
    );
  });
});
