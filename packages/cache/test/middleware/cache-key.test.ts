import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileGlob } from "../../src/glob.js";
import {
  forwardedUrlParts,
  hostPart,
  keyPart,
  keyPattern,
  normalizeQuery,
} from "../../src/middleware/cache-key.js";

describe("normalizeQuery", () => {
  it("sorts parameters by name, keeps repeated names in order and drops empty ones", () => {
    expect(normalizeQuery("b=2&a=1&b=1&&a")).toBe("a=1&a&b=2&b=1");
    expect(normalizeQuery("single=1")).toBe("single=1");
    expect(normalizeQuery("")).toBe("");
  });

  it("gives every order of the same distinct parameters one key", () => {
    const param = fc.tuple(fc.stringMatching(/^[a-z]{1,4}$/), fc.stringMatching(/^[a-z0-9]{0,3}$/));
    fc.assert(
      fc.property(
        fc.uniqueArray(param, { selector: ([name]) => name, minLength: 1, maxLength: 8 }),
        (params) => {
          const query = params.map(([k, v]) => `${k}=${v}`);
          const shuffled = [...query].reverse();
          expect(normalizeQuery(shuffled.join("&"))).toBe(normalizeQuery(query.join("&")));
        },
      ),
    );
  });
});

describe("keys", () => {
  it("reads only host and proto from Forwarded", () => {
    expect(forwardedUrlParts('for=192.0.2.1;Host="a.example";proto=https, for=10.0.0.1')).toBe(
      'host="a.example";proto=https',
    );
    expect(forwardedUrlParts("for=192.0.2.1")).toBe("");
  });

  it("percent-encodes values so no header can forge another key part", () => {
    expect(keyPart("h", "a u=victim")).toBe(" h=a%20u%3Dvictim");
  });

  it("makes the host part as keyPart does, lower-cased, from memory or not, past its bound too", () => {
    for (let round = 0; round < 2; round++) {
      expect(hostPart("Example.COM:8080")).toBe(keyPart("h", "example.com:8080"));
      expect(hostPart("a u=victim")).toBe(" h=a%20u%3Dvictim");
    }
    // More distinct hosts than it remembers: each still gets its own, correct part.
    for (let i = 0; i < 600; i++) expect(hostPart(`Host-${i}.test`)).toBe(` h=host-${i}.test`);
    expect(hostPart("Example.COM:8080")).toBe(" h=example.com%3A8080");
  });

  it("turns a path pattern into a glob over every query, user and variant of the path", () => {
    const matches = compileGlob(keyPattern("/modules"));
    expect(matches("http:GET /modules ? h=x")).toBe(true);
    expect(matches("http:GET /modules ?page=2 h=x u=1")).toBe(true);
    expect(matches("http:GET /modules/intro ? h=x")).toBe(false);
    expect(compileGlob(keyPattern("/modules*"))("http:GET /modules/intro ?a=1 h=x")).toBe(true);
  });
});
