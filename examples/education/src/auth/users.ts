import type { Queryable } from "../db/database.js";
import { ApiError } from "../http/api-error.js";

/** A user as the API shows it (never the password hash). */
export interface PublicUser {
  id: string;
  email: string | null;
  walletAddress: string | null;
  displayName: string;
  role: "learner" | "instructor" | "admin";
  totalXp: number;
}

const USER_COLUMNS = `id, email, wallet_address AS "walletAddress", display_name AS "displayName", role,
  total_xp AS "totalXp"`;

/** Creates an email/password user; a 409 when the email is taken. */
export async function createEmailUser(
  db: Queryable,
  input: { email: string; passwordHash: string; displayName: string },
): Promise<PublicUser> {
  try {
    const { rows } = await db.query<PublicUser>(
      `INSERT INTO users (email, password_hash, display_name) VALUES ($1, $2, $3) RETURNING ${USER_COLUMNS}`,
      [input.email, input.passwordHash, input.displayName],
    );
    return rows[0]!;
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    // 23505 unique_violation; 019 renamed the email constraint's index to idx_users_email.
    if (code === "23505" && (constraint === undefined || /email/.test(constraint))) {
      throw new ApiError(409, "CONFLICT", "an account with this email already exists; sign in instead", {
        field: "body.email",
      });
    }
    throw error;
  }
}

/** The active user with this (lower-case) email, with the hash to check. */
export async function findUserByEmail(db: Queryable, email: string) {
  const { rows } = await db.query<PublicUser & { passwordHash: string | null }>(
    `SELECT ${USER_COLUMNS}, password_hash AS "passwordHash" FROM users WHERE email = $1 AND is_active`,
    [email],
  );
  return rows[0];
}

/** The user of a wallet, created on first sign-in; `undefined` when that user is deactivated. */
export async function findOrCreateWalletUser(
  db: Queryable,
  address: string,
): Promise<PublicUser | undefined> {
  const { rows } = await db.query<PublicUser & { isActive: boolean }>(
    `INSERT INTO users (wallet_address, display_name) VALUES ($1, $2)
     ON CONFLICT (wallet_address) WHERE wallet_address IS NOT NULL
     DO UPDATE SET last_login_at = now()
     RETURNING ${USER_COLUMNS}, is_active AS "isActive"`,
    [address, `Wallet ${address.slice(0, 6)}…${address.slice(-4)}`],
  );
  const { isActive, ...user } = rows[0]!;
  return isActive ? user : undefined;
}

/** A user by id. */
export async function findUserById(db: Queryable, id: string): Promise<PublicUser | undefined> {
  const { rows } = await db.query<PublicUser>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  return rows[0];
}

/** Records a successful sign-in. */
export async function touchLastLogin(db: Queryable, id: string): Promise<void> {
  await db.query("UPDATE users SET last_login_at = now() WHERE id = $1", [id]);
}
