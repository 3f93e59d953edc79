import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import type { Clock } from "../clock.js";

/** What an access token says: who, with which role, its id, and when it was issued and expires. */
export interface AccessClaims {
  /** The user id (uuid). */
  sub: string;
  role: "learner" | "instructor" | "admin";
  /** The token's unique id: sign-out blacklists it. */
  jti: string;
  /** Issued at, in seconds since the epoch. */
  iat: number;
  /** Expires at, in seconds since the epoch. */
  exp: number;
}

const VERSION = "kat1"; // keel access token, format 1

function sign(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(`${VERSION}.${payload}`).digest("base64url");
}

/**
 * Issues a short-lived bearer access token: `kat1.<claims, base64url JSON>.<HMAC-SHA256>`. It is
 * not a JWT (no header to choose an algorithm from, so no algorithm confusion): one format, one key.
 *
 * @param ttl - lifetime in seconds
 * @example
 * ```ts
 * const { token, claims } = issueAccessToken(secret, { sub: user.id, role: "learner" }, 900);
 * ```
 */
export function issueAccessToken(
  secret: string,
  subject: Pick<AccessClaims, "sub" | "role">,
  ttl: number,
  clock: Clock = { now: () => Date.now() },
): { token: string; claims: AccessClaims } {
  const iat = Math.floor(clock.now() / 1000);
  const claims: AccessClaims = {
    sub: subject.sub,
    role: subject.role,
    jti: randomUUID(),
    iat,
    exp: iat + ttl,
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return { token: `${VERSION}.${payload}.${sign(secret, payload)}`, claims };
}

/**
 * Checks an access token's signature (in constant time) and expiry; returns its claims, or
 * `undefined` for anything forged, malformed or expired. The blacklist is checked by the caller.
 *
 * @example
 * ```ts
 * const claims = verifyAccessToken(secret, token);
 * if (claims === undefined) throw unauthorized("invalid or expired access token");
 * ```
 */
export function verifyAccessToken(
  secret: string,
  token: string,
  clock: Clock = { now: () => Date.now() },
): AccessClaims | undefined {
  const [version, payload, signature, extra] = token.split(".");
  if (version !== VERSION || !payload || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(sign(secret, payload));
  const actual = Buffer.from(signature);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
  let claims: AccessClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as AccessClaims;
  } catch {
    return undefined;
  }
  if (typeof claims.exp !== "number" || claims.exp * 1000 <= clock.now()) return undefined;
  if (typeof claims.sub !== "string" || typeof claims.jti !== "string") return undefined;
  return claims;
}
