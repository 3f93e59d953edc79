import express from "express";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileTrustProxy, normalizeIp, resolveClientIp, type TrustProxy } from "../src/index.js";

const POOL = [
  "127.0.0.1",
  "10.0.0.1",
  "10.1.2.3",
  "172.16.5.4",
  "192.168.0.1",
  "169.254.1.1",
  "203.0.113.7",
  "198.51.100.1",
  "::1",
  "fd00::1",
  "fe80::1",
  "2001:db8::1",
  "2001:db8::2",
];
const SETTINGS: TrustProxy[] = [
  false,
  true,
  0,
  1,
  2,
  3,
  "loopback",
  "uniquelocal",
  "loopback, linklocal, uniquelocal",
  ["10.0.0.0/8", "::1"],
  "2001:db8::/32",
  "203.0.113.7",
];

const apps = new Map<TrustProxy, express.Application>();

/** What Express 5 reports as req.ip for the same socket peer, header and setting. */
function expressIp(
  remoteAddress: string,
  forwardedFor: string | undefined,
  setting: TrustProxy,
): string | undefined {
  let app = apps.get(setting);
  if (app === undefined) {
    app = express();
    app.set("trust proxy", setting);
    apps.set(setting, app);
  }
  // Express's own request prototype for this app, with only the fields req.ip reads.
  const prototype = (app as express.Application & { request: express.Request }).request;
  const req = Object.create(prototype) as express.Request;
  Object.assign(req, {
    app,
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
    socket: { remoteAddress },
  });
  return req.ip;
}

describe("resolveClientIp", () => {
  const source = { remoteAddress: "10.0.0.2", forwardedFor: "198.51.100.1, 203.0.113.7, 10.0.0.1" };

  it("returns the socket peer when nothing is trusted", () => {
    expect(resolveClientIp(source, compileTrustProxy(false))).toBe("10.0.0.2");
  });

  it("walks right to left while hops are trusted", () => {
    expect(resolveClientIp(source, compileTrustProxy(1))).toBe("10.0.0.1");
    expect(resolveClientIp(source, compileTrustProxy(2))).toBe("203.0.113.7");
    expect(resolveClientIp(source, compileTrustProxy("uniquelocal"))).toBe("203.0.113.7");
  });

  it("returns the leftmost hop when every hop is trusted", () => {
    expect(resolveClientIp(source, compileTrustProxy(true))).toBe("198.51.100.1");
    expect(resolveClientIp(source, compileTrustProxy(10))).toBe("198.51.100.1");
  });

  it("passes each hop number to the trust rule, the socket peer being hop 0", () => {
    const calls: [string, number][] = [];
    resolveClientIp(source, (address, hop) => {
      calls.push([address, hop]);
      return true;
    });
    expect(calls).toEqual([
      ["10.0.0.2", 0],
      ["10.0.0.1", 1],
      ["203.0.113.7", 2],
    ]);
  });

  it("returns canonical addresses", () => {
    const mapped = { remoteAddress: "::ffff:10.0.0.2", forwardedFor: "2001:DB8:0:0::7" };
    expect(resolveClientIp(mapped, compileTrustProxy(false))).toBe("10.0.0.2");
    expect(resolveClientIp(mapped, compileTrustProxy(true))).toBe("2001:db8::7");
  });

  it("returns undefined when the socket peer is unknown or not an address", () => {
    expect(resolveClientIp({ forwardedFor: "203.0.113.7" }, compileTrustProxy(true))).toBeUndefined();
    expect(resolveClientIp({ remoteAddress: "pipe" }, compileTrustProxy(true))).toBeUndefined();
  });

  it("reads ports and brackets in hops", () => {
    const trust = compileTrustProxy(true);
    expect(resolveClientIp({ remoteAddress: "::1", forwardedFor: "203.0.113.7:51234" }, trust)).toBe(
      "203.0.113.7",
    );
    expect(resolveClientIp({ remoteAddress: "::1", forwardedFor: "[2001:db8::7]:443" }, trust)).toBe(
      "2001:db8::7",
    );
    expect(resolveClientIp({ remoteAddress: "::1", forwardedFor: "[2001:db8::7]" }, trust)).toBe(
      "2001:db8::7",
    );
  });

  it("stops at a hop that is not an address, answering with the proxy that wrote it", () => {
    const trust = compileTrustProxy(true);
    for (const bad of [
      "unknown",
      "_hidden",
      "[2001:db8::7",
      "[10.0.0.1]",
      "[::1]x",
      "1.2.3.4:http",
      "host:80",
      "1.2.3.4:123456",
    ]) {
      expect(
        resolveClientIp({ remoteAddress: "10.0.0.2", forwardedFor: `198.51.100.1, ${bad}, 10.0.0.1` }, trust),
        bad,
      ).toBe("10.0.0.1");
    }
  });

  it("skips empty X-Forwarded-For entries, as Express does", () => {
    const result = resolveClientIp(
      { remoteAddress: "10.0.0.2", forwardedFor: " , 203.0.113.7,, " },
      compileTrustProxy(1),
    );
    expect(result).toBe("203.0.113.7");
  });

  it("reads RFC 7239 Forwarded when X-Forwarded-For is absent or empty", () => {
    const forwarded = 'for=198.51.100.1;proto=https, for="[2001:db8:cafe::17]:4711";by=10.0.0.1';
    const trust = compileTrustProxy(1);
    expect(resolveClientIp({ remoteAddress: "10.0.0.2", forwarded }, trust)).toBe("2001:db8:cafe::17");
    expect(resolveClientIp({ remoteAddress: "10.0.0.2", forwarded, forwardedFor: " " }, trust)).toBe(
      "2001:db8:cafe::17",
    );
    expect(resolveClientIp({ remoteAddress: "10.0.0.2", forwarded }, compileTrustProxy(2))).toBe(
      "198.51.100.1",
    );
  });

  it("prefers X-Forwarded-For over Forwarded when both are present", () => {
    const both = { remoteAddress: "10.0.0.2", forwardedFor: "203.0.113.7", forwarded: "for=198.51.100.1" };
    expect(resolveClientIp(both, compileTrustProxy(1))).toBe("203.0.113.7");
  });

  it("treats a malformed Forwarded header as an unknown hop next to the app", () => {
    // A client opened a quote; the proxy's own element ended up inside it.
    const forwarded = 'for="198.51.100.66, for=203.0.113.7';
    expect(resolveClientIp({ remoteAddress: "10.0.0.2", forwarded }, compileTrustProxy(true))).toBe(
      "10.0.0.2",
    );
  });

  it("agrees with Express's req.ip on every setting and hop list", () => {
    const address = fc.constantFrom(...POOL);
    const separator = fc.constantFrom(",", ", ", " ,  ");
    fc.assert(
      fc.property(
        address,
        fc.option(fc.array(address, { maxLength: 5 }), { nil: undefined }),
        separator,
        fc.constantFrom(...SETTINGS),
        (remoteAddress, hops, sep, setting) => {
          const forwardedFor = hops?.join(sep);
          const ours = resolveClientIp({ remoteAddress, forwardedFor }, compileTrustProxy(setting));
          expect(ours).toBe(expressIp(remoteAddress, forwardedFor, setting));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("never lets forwarding headers change the result when trust is false", () => {
    const trust = compileTrustProxy(false);
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...POOL, "::ffff:10.0.0.1", "garbage"), fc.string()),
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.string(), { nil: undefined }),
        (remoteAddress, forwardedFor, forwarded) => {
          expect(resolveClientIp({ remoteAddress, forwardedFor, forwarded }, trust)).toBe(
            normalizeIp(remoteAddress),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("never lets forwarding headers change the result when the socket peer is not trusted", () => {
    const trust = compileTrustProxy("loopback");
    fc.assert(
      fc.property(
        fc.constantFrom("203.0.113.7", "2001:db8::1", "10.0.0.1"),
        fc.string(),
        fc.string(),
        (remoteAddress, forwardedFor, forwarded) => {
          expect(resolveClientIp({ remoteAddress, forwardedFor, forwarded }, trust)).toBe(remoteAddress);
        },
      ),
    );
  });

  it("walks a header of a hundred thousand hops", () => {
    const forwardedFor = Array.from(
      { length: 100_000 },
      (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    ).join(",");
    let calls = 0;
    const result = resolveClientIp({ remoteAddress: "127.0.0.1", forwardedFor }, () => {
      calls++;
      return true;
    });
    expect(result).toBe("10.0.0.0");
    expect(calls).toBe(100_000);
  });
});
