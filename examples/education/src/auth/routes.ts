import { type Request, Router } from "express";
import type { Clock } from "../clock.js";
import type { Database } from "../db/database.js";
import { ApiError, unauthorized } from "../http/api-error.js";
import { bodyOf, email, optionalString, password, requiredString, walletAddress } from "../http/validate.js";
import { issueAccessToken } from "./access-token.js";
import { requireUser } from "./authenticate.js";
import { hashPassword, type ScryptCost, verifyPassword } from "./password.js";
import { issueRefreshToken, revokeRefreshToken, rotateRefreshToken } from "./refresh-tokens.js";
import {
  createEmailUser,
  findOrCreateWalletUser,
  findUserByEmail,
  findUserById,
  type PublicUser,
  touchLastLogin,
} from "./users.js";
import { createWalletChallenge, verifyWalletChallenge } from "./wallet-challenge.js";

/** What the auth routes need. */
export interface AuthRouteOptions {
  db: Database;
  secret: string;
  clock: Clock;
  /** Access-token lifetime, seconds. */
  accessTokenTtl: number;
  /** Refresh-token lifetime, seconds. */
  refreshTokenTtl: number;
  /** scrypt cost of new password hashes (tests pass a cheap one). @default DEFAULT_SCRYPT_COST */
  scryptCost?: ScryptCost | undefined;
}

// Checked against when an email is unknown, so a wrong email costs the same scrypt time as a
// wrong password and response times do not reveal which accounts exist.
const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/**
 * `/api/auth`: sign-up and sign-in with email and password, wallet sign-in by signed challenge,
 * refresh-token rotation, sign-out, and `GET /me`.
 *
 * @example
 * ```ts
 * app.use("/api/auth", authLimit, authRouter({ db, secret, clock, accessTokenTtl: 900, refreshTokenTtl: 2_592_000 }));
 * ```
 */
export function authRouter(options: AuthRouteOptions): Router {
  const { db, secret, clock, accessTokenTtl, refreshTokenTtl } = options;
  const router = Router();

  async function tokensFor(user: Pick<PublicUser, "id" | "role">) {
    const access = issueAccessToken(secret, { sub: user.id, role: user.role }, accessTokenTtl, clock);
    const refreshToken = await issueRefreshToken(db, user.id, refreshTokenTtl, clock);
    return {
      tokenType: "Bearer",
      accessToken: access.token,
      expiresIn: accessTokenTtl,
      refreshToken,
      refreshExpiresIn: refreshTokenTtl,
    };
  }

  router.post("/signup", async (req, res) => {
    const body = bodyOf(req.body);
    const address = email(body);
    const secretWord = password(body);
    const displayName =
      optionalString(body, "displayName", "body.displayName", 100) || address.split("@")[0]!;
    const passwordHash = await hashPassword(secretWord, options.scryptCost);
    const user = await createEmailUser(db, { email: address, passwordHash, displayName });
    res.status(201).json({ success: true, data: { user, ...(await tokensFor(user)) } });
  });

  router.post("/signin", async (req, res) => {
    const body = bodyOf(req.body);
    const address = email(body);
    const secretWord = requiredString(body, "password", "body.password", 1, 200);
    const found = await findUserByEmail(db, address);
    const ok = await verifyPassword(secretWord, found?.passwordHash ?? DUMMY_HASH);
    if (found === undefined || found.passwordHash === null || !ok) {
      throw unauthorized("email or password is wrong");
    }
    await touchLastLogin(db, found.id);
    const { passwordHash: _, ...user } = found;
    res.json({ success: true, data: { user, ...(await tokensFor(user)) } });
  });

  router.post("/wallet/challenge", (req, res) => {
    const address = walletAddress(bodyOf(req.body));
    res.json({
      success: true,
      data: { walletAddress: address, ...createWalletChallenge(secret, address, clock) },
    });
  });

  router.post("/wallet/signin", async (req, res) => {
    const body = bodyOf(req.body);
    const address = walletAddress(body);
    const nonce = requiredString(body, "nonce", "body.nonce", 1, 300);
    const signature = requiredString(body, "signature", "body.signature", 132, 132);
    const verdict = await verifyWalletChallenge(db, secret, { address, nonce, signature }, clock);
    if (verdict !== "ok") {
      const why = {
        malformed: "nonce is not one this server issued for this wallet; request a new challenge",
        expired: "challenge expired; request a new one",
        "bad-signature": "signature does not recover to this wallet address",
        replayed: "challenge was already used; request a new one",
      }[verdict];
      throw unauthorized(why);
    }
    const user = await findOrCreateWalletUser(db, address);
    if (user === undefined) throw new ApiError(403, "FORBIDDEN", "this account is deactivated");
    res.json({ success: true, data: { user, ...(await tokensFor(user)) } });
  });

  router.post("/refresh", async (req, res) => {
    const token = requiredString(bodyOf(req.body), "refreshToken", "body.refreshToken", 1, 200);
    const result = await rotateRefreshToken(db, token, refreshTokenTtl, clock);
    if (!result.ok) {
      throw unauthorized(
        result.reason === "reused"
          ? "refresh token was already used: every session of this account was signed out; sign in again"
          : `refresh token is ${result.reason === "expired" ? "expired" : "not valid"}; sign in again`,
      );
    }
    const access = issueAccessToken(secret, { sub: result.userId, role: result.role }, accessTokenTtl, clock);
    res.json({
      success: true,
      data: {
        tokenType: "Bearer",
        accessToken: access.token,
        expiresIn: accessTokenTtl,
        refreshToken: result.refreshToken,
        refreshExpiresIn: refreshTokenTtl,
      },
    });
  });

  router.post("/logout", requireUser, async (req: Request, res) => {
    const user = req.user!;
    const refreshToken = optionalString(bodyOf(req.body ?? {}), "refreshToken", "body.refreshToken", 200);
    // The blacklist entry lives until the token would have expired anyway; the cleanup job drops it then.
    await db.query(
      "INSERT INTO token_blacklist (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING",
      [user.jti, new Date(user.exp * 1000)],
    );
    const revoked = refreshToken ? await revokeRefreshToken(db, user.id, refreshToken, clock) : false;
    res.json({ success: true, data: { signedOut: true, refreshTokenRevoked: revoked } });
  });

  router.get("/me", requireUser, async (req, res) => {
    const user = await findUserById(db, req.user!.id);
    if (user === undefined) throw unauthorized("this account no longer exists");
    res.json({ success: true, data: user });
  });

  return router;
}
