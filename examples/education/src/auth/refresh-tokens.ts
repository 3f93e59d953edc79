import { createHash, randomBytes } from "node:crypto";
import type { Clock } from "../clock.js";
import type { Database, Queryable } from "../db/database.js";

/** SHA-256 of a refresh token, hex: the only form the database ever holds. */
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

/**
 * Creates a refresh token for a user: 32 random bytes (base64url) handed to the client once,
 * stored as its SHA-256 hash with an expiry.
 *
 * @param ttl - lifetime in seconds
 */
export async function issueRefreshToken(db: Queryable, userId: string, ttl: number, clock: Clock) {
  const token = randomBytes(32).toString("base64url");
  await db.query("INSERT INTO refresh_tokens (user_id, token_hash, expires_at) VALUES ($1, $2, $3)", [
    userId,
    hashToken(token),
    new Date(clock.now() + ttl * 1000),
  ]);
  return token;
}

/** The outcome of {@link rotateRefreshToken}. */
export type RotateResult =
  | { ok: true; userId: string; role: "learner" | "instructor" | "admin"; refreshToken: string }
  | { ok: false; reason: "unknown" | "expired" | "reused" | "inactive" };

/**
 * Exchanges a refresh token for a new one (rotation): the old one is revoked in the same
 * transaction. Presenting a token that was already rotated or revoked is treated as theft: every
 * live refresh token of that user is revoked, so whoever holds the stolen copy is signed out too.
 */
export async function rotateRefreshToken(
  db: Database,
  token: string,
  ttl: number,
  clock: Clock,
): Promise<RotateResult> {
  const now = new Date(clock.now());
  return db.transaction(async (tx): Promise<RotateResult> => {
    const { rows } = await tx.query<{
      id: string;
      userId: string;
      expiresAt: Date;
      revokedAt: Date | null;
      role: "learner" | "instructor" | "admin";
      isActive: boolean;
    }>(
      `SELECT t.id, t.user_id AS "userId", t.expires_at AS "expiresAt", t.revoked_at AS "revokedAt",
              u.role, u.is_active AS "isActive"
         FROM refresh_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 FOR UPDATE OF t`,
      [hashToken(token)],
    );
    const row = rows[0];
    if (row === undefined) return { ok: false, reason: "unknown" };
    if (row.revokedAt !== null) {
      await tx.query("UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL", [
        row.userId,
        now,
      ]);
      return { ok: false, reason: "reused" };
    }
    if (new Date(row.expiresAt).getTime() <= now.getTime()) return { ok: false, reason: "expired" };
    if (!row.isActive) return { ok: false, reason: "inactive" };
    await tx.query("UPDATE refresh_tokens SET revoked_at = $2 WHERE id = $1", [row.id, now]);
    const refreshToken = await issueRefreshToken(tx, row.userId, ttl, clock);
    return { ok: true, userId: row.userId, role: row.role, refreshToken };
  });
}

/** Revokes one refresh token of a user (sign-out); resolves to whether it was live. */
export async function revokeRefreshToken(db: Queryable, userId: string, token: string, clock: Clock) {
  const { rowCount } = await db.query(
    "UPDATE refresh_tokens SET revoked_at = $3 WHERE token_hash = $1 AND user_id = $2 AND revoked_at IS NULL",
    [hashToken(token), userId, new Date(clock.now())],
  );
  return rowCount > 0;
}
