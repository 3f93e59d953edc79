import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import { EducationError } from "../errors.js";

/** scrypt cost parameters: N (CPU/memory cost, a power of two), r (block size), p (parallelism). */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/**
 * The cost new hashes use: N=2^15, r=8, p=1 (32 MiB, tens of milliseconds per hash). Stored
 * hashes carry their own cost, so raising this later keeps old hashes verifiable.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };

const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // maxmem must exceed 128 * N * r bytes, or scrypt refuses the cost.
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Hashes a password with scrypt and a random 16-byte salt, as
 * `scrypt$N$r$p$<salt base64>$<key base64>` (what `users.password_hash` stores).
 *
 * @example
 * ```ts
 * const stored = await hashPassword("correct horse battery staple");
 * await verifyPassword("correct horse battery staple", stored); // true
 * ```
 */
export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/**
 * Checks a password against a hash from {@link hashPassword}, in constant time. A stored value
 * that is not such a hash throws: it means corrupt data, not a wrong password.
 *
 * @example
 * ```ts
 * if (!(await verifyPassword(input, user.password_hash))) return reply(401);
 * ```
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  const [scheme, n, r, p, salt, key] = parts;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (
    parts.length !== 6 ||
    scheme !== "scrypt" ||
    !Object.values(cost).every((value) => Number.isInteger(value) && value > 0) ||
    !salt ||
    !key
  ) {
    throw new EducationError(
      "ERR_KEEL_EDUCATION_PASSWORD_HASH",
      "stored password hash is not in the scrypt$N$r$p$salt$key format hashPassword writes; reset the user's password",
    );
  }
  const expected = Buffer.from(key, "base64");
  const actual = await derive(password, Buffer.from(salt, "base64"), cost);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
