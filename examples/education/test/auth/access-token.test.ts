import { describe, expect, it } from "vitest";
import { issueAccessToken, verifyAccessToken } from "../../src/auth/access-token.js";

const secret = "s".repeat(32);
const at = (ms: number) => ({ now: () => ms });

describe("access tokens", () => {
  it("verifies a token it issued until it expires, and carries a unique jti", () => {
    const a = issueAccessToken(secret, { sub: "u1", role: "learner" }, 900, at(1_000_000));
    const b = issueAccessToken(secret, { sub: "u1", role: "learner" }, 900, at(1_000_000));
    expect(a.claims.jti).not.toBe(b.claims.jti);
    expect(verifyAccessToken(secret, a.token, at(1_000_000 + 899_000))).toEqual(a.claims);
    expect(verifyAccessToken(secret, a.token, at(1_000_000 + 900_000))).toBeUndefined();
  });

  it("refuses a token signed with another key, altered, or malformed", () => {
    const { token } = issueAccessToken(secret, { sub: "u1", role: "learner" }, 900, at(0));
    expect(verifyAccessToken("t".repeat(32), token, at(0))).toBeUndefined();
    const [v, payload, sig] = token.split(".");
    const forged = Buffer.from(
      JSON.stringify({ sub: "u1", role: "admin", jti: "x", iat: 0, exp: 9e9 }),
    ).toString("base64url");
    expect(verifyAccessToken(secret, `${v}.${forged}.${sig}`, at(0))).toBeUndefined();
    expect(verifyAccessToken(secret, `${v}.${payload}`, at(0))).toBeUndefined();
    expect(verifyAccessToken(secret, `${token}.x`, at(0))).toBeUndefined();
    expect(verifyAccessToken(secret, `jwt.${payload}.${sig}`, at(0))).toBeUndefined();
    expect(verifyAccessToken(secret, "", at(0))).toBeUndefined();
  });
});
