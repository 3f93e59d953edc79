import type { RequestHandler } from "express";
import type { Clock } from "../clock.js";
import type { Queryable } from "../db/database.js";
import { ApiError, unauthorized } from "../http/api-error.js";
import { type AccessClaims, verifyAccessToken } from "./access-token.js";

/** The signed-in user of a request, set by {@link authenticate}. */
export interface AuthUser {
  /** The user id: what the rate limiter and the private cache key on. */
  id: string;
  role: AccessClaims["role"];
  /** The access token's id and expiry (seconds), for sign-out. */
  jti: string;
  exp: number;
}

declare global {
  namespace Express {
    interface Request {
      /** The signed-in user, when the request carried a valid bearer token. */
      user?: AuthUser;
    }
  }
}

/**
 * Reads `Authorization: Bearer <access token>`: a valid, unrevoked token sets `req.user`; a request
 * without the header goes on anonymously; a bad, expired or revoked token is a 401 (never silently
 * anonymous, so a client learns it must refresh). One primary-key lookup in token_blacklist per
 * signed-in request makes sign-out take effect at once, on every instance.
 *
 * @example
 * ```ts
 * app.use("/api/education", authenticate(db, secret), rateLimit, educationRouter);
 * ```
 */
export function authenticate(db: Queryable, secret: string, clock: Clock): RequestHandler {
  return async (req, res, next) => {
    const header = req.get("authorization");
    if (header === undefined) return next();
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
    res.setHeader("WWW-Authenticate", 'Bearer realm="education"');
    if (match === null) throw unauthorized("Authorization must be 'Bearer <access token>'");
    const claims = verifyAccessToken(secret, match[1]!, clock);
    if (claims === undefined) {
      throw unauthorized("access token is invalid or expired; refresh it or sign in again");
    }
    const revoked = await db.query("SELECT 1 FROM token_blacklist WHERE jti = $1", [claims.jti]);
    if (revoked.rows.length > 0) throw unauthorized("access token was revoked (signed out); sign in again");
    res.removeHeader("WWW-Authenticate");
    req.user = { id: claims.sub, role: claims.role, jti: claims.jti, exp: claims.exp };
    next();
  };
}

/** Refuses anonymous requests with a 401. */
export const requireUser: RequestHandler = (req, res, next) => {
  if (req.user === undefined) {
    res.setHeader("WWW-Authenticate", 'Bearer realm="education"');
    throw unauthorized("sign in first: send Authorization: Bearer <access token>");
  }
  next();
};

/** Refuses anyone without `role` with a 403 (a 401 when anonymous). */
export function requireRole(role: AuthUser["role"]): RequestHandler {
  return (req, res, next) => {
    requireUser(req, res, () => {
      if (req.user?.role !== role) throw new ApiError(403, "FORBIDDEN", `this needs the ${role} role`);
      next();
    });
  };
}
