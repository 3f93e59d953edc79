import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  hostileNumber,
  hostileString,
  longString,
  notANumber,
  settle,
  typedOrOk,
} from "../../../../reliability/lib/hostile.js";
import { resolveClientIp } from "../../src/client-ip.js";
import { HttpError } from "../../src/errors.js";
import { normalizeIp } from "../../src/ip.js";
import { ipSubnetKey } from "../../src/ip-subnet.js";
import { compileTrustProxy } from "../../src/trust-proxy.js";

// Hostile input against the client-address functions: whatever a client writes into a header, the
// answer is a canonical address or undefined, computed in bounded time, and a spoofed forwarding
// header never moves the key when no proxy is trusted.

const hex = (n: number) => n.toString(16);
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
const ipv6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 });

/** Every spelling of one IPv6 address a client or a proxy might produce. */
function ipv6Spellings(groups: readonly number[]): string[] {
  const full = groups.map((g) => hex(g).padStart(4, "0")).join(":");
  const short = groups.map(hex).join(":");
  const spellings = [full, short, full.toUpperCase(), `${short}%eth0`, `${short}%25`];
  // "::" may stand for any run of one or more zero groups, not only the longest.
  for (let start = 0; start < 8; start++) {
    for (let end = start + 1; end <= 8 && groups[end - 1] === 0; end++) {
      const left = groups.slice(0, start).map(hex).join(":");
      const right = groups.slice(end).map(hex).join(":");
      spellings.push(`${left}::${right}`);
    }
  }
  return spellings;
}

/** Every spelling of one IPv4 address, bare and IPv4-mapped (dotted and hex tails). */
function ipv4Spellings([a, b, c, d]: readonly number[]): string[] {
  const dotted = `${a}.${b}.${c}.${d}`;
  const high = hex(((a as number) << 8) | (b as number));
  const low = hex(((c as number) << 8) | (d as number));
  return [
    dotted,
    `::ffff:${dotted}`,
    `::FFFF:${dotted}`,
    `0:0:0:0:0:ffff:${dotted}`,
    `0000:0000:0000:0000:0000:ffff:${dotted}`,
    `::ffff:${high}:${low}`,
    `::ffff:${dotted}%lo`,
  ];
}

describe("client address under hostile input", () => {
  it("normalizeIp never throws and answers a canonical address or undefined", () => {
    fc.assert(
      fc.property(hostileString(100), (text) => {
        const ip = normalizeIp(text);
        if (ip !== undefined) {
          expect(normalizeIp(ip)).toBe(ip); // canonical is a fixed point
          expect(ip.length).toBeLessThanOrEqual(39);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("maps every spelling of one IPv6 address to one address and one rate-limit key", () => {
    fc.assert(
      fc.property(ipv6, (groups) => {
        const [first, ...rest] = ipv6Spellings(groups).map((s) => normalizeIp(s));
        expect(first).toBeDefined();
        for (const other of rest) expect(other).toBe(first);
        const key = ipSubnetKey(first as string);
        // Another address of the same /56 shares the key; one outside it does not.
        const sibling = [...groups];
        sibling[7] = ((sibling[7] as number) + 1) & 0xffff;
        expect(ipSubnetKey(normalizeIp(ipv6Spellings(sibling)[1] as string) as string)).toBe(key);
      }),
      { numRuns: 500 },
    );
  });

  it("maps bare and IPv4-mapped spellings of one IPv4 address to one address", () => {
    fc.assert(
      fc.property(ipv4, (octets) => {
        const spellings = ipv4Spellings(octets).map((s) => normalizeIp(s));
        expect(new Set(spellings)).toEqual(new Set([octets.join(".")]));
      }),
      { numRuns: 500 },
    );
  });

  it("never lets a forwarding header change the address when no proxy is trusted", () => {
    const trustNobody = compileTrustProxy(false);
    fc.assert(
      fc.property(ipv4, hostileString(200), hostileString(200), (octets, forwardedFor, forwarded) => {
        const peer = `::ffff:${octets.join(".")}`;
        const ip = resolveClientIp({ remoteAddress: peer, forwardedFor, forwarded }, trustNobody);
        expect(ip).toBe(octets.join("."));
      }),
      { numRuns: 1_000 },
    );
  });

  it("answers a canonical address or undefined for any header behind a trusted proxy", () => {
    const rules = [compileTrustProxy(true), compileTrustProxy(2), compileTrustProxy("loopback, uniquelocal")];
    fc.assert(
      fc.property(
        fc.constantFrom(...rules),
        fc.array(
          fc.oneof(
            hostileString(20),
            ipv4.map((o) => o.join(".")),
          ),
          { maxLength: 6 },
        ),
        hostileString(100),
        (trust, hops, forwarded) => {
          const ip = resolveClientIp(
            { remoteAddress: "127.0.0.1", forwardedFor: hops.join(", "), forwarded },
            trust,
          );
          if (ip !== undefined) expect(normalizeIp(ip)).toBe(ip);
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("reads a megabyte of forwarding header in bounded time", async () => {
    const hops = longString(1_000_000, "10.0.0.1, ");
    const forwarded = longString(1_000_000, 'for="[::1]";proto=http, ');
    for (const trust of [compileTrustProxy(true), compileTrustProxy("loopback, 10.0.0.0/8")]) {
      const outcome = await settle("resolveClientIp", () =>
        resolveClientIp({ remoteAddress: "127.0.0.1", forwardedFor: hops, forwarded }, trust),
      );
      expect(outcome.ok).toBe(true);
    }
    const unread = await settle("normalizeIp", () => normalizeIp(longString(10_000_000, "1")));
    expect(unread).toEqual({ ok: true, value: undefined });
  });

  it("compileTrustProxy answers a rule or an HttpError for any setting", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(hostileString(40), hostileNumber, notANumber, fc.array(hostileString(20), { maxLength: 4 })),
        async (setting) => {
          if (typeof setting === "function") return; // a function is the user's own rule, used as given
          const outcome = await settle("compileTrustProxy", () => compileTrustProxy(setting as never));
          if (typedOrOk("compileTrustProxy", outcome, HttpError, "ERR_KEEL_HTTP_")) {
            expect(typeof outcome.value).toBe("function");
            expect(typeof outcome.value("127.0.0.1", 0)).toBe("boolean");
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("ipSubnetKey answers a key or an HttpError for any address and prefix", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileString(50),
          ipv4.map((o) => o.join(".")),
        ),
        fc.oneof(hostileNumber, notANumber),
        fc.oneof(hostileNumber, notANumber),
        async (ip, ipv4Prefix, ipv6Prefix) => {
          const options = { ipv4Prefix, ipv6Prefix } as never;
          const outcome = await settle("ipSubnetKey", () => ipSubnetKey(ip, options));
          if (typedOrOk("ipSubnetKey", outcome, HttpError, "ERR_KEEL_HTTP_")) {
            expect(typeof outcome.value).toBe("string");
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
