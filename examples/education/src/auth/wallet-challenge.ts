import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../clock.js";
import type { Queryable } from "../db/database.js";
import { recoverPersonalSignAddress } from "./ethereum.js";

/** How long a sign-in challenge may be answered, in seconds. */
export const CHALLENGE_TTL = 300;

const mac = (secret: string, address: string, random: string, expiresAt: number) =>
  createHmac("sha256", secret)
    .update(`wallet-challenge|${address}|${random}|${expiresAt}`)
    .digest("base64url");

/** The text the wallet signs (`personal_sign`), in the spirit of EIP-4361 "Sign-In with Ethereum". */
export function challengeMessage(address: string, nonce: string, expiresAt: number): string {
  return [
    "Keel Education wants you to sign in with your Ethereum account:",
    address,
    "",
    "Sign in to the Keel education API. This costs nothing and sends no transaction.",
    "",
    `Nonce: ${nonce}`,
    `Expiration Time: ${new Date(expiresAt).toISOString()}`,
  ].join("\n");
}

/**
 * A sign-in challenge for a wallet: a nonce that carries its own expiry and an HMAC binding it to
 * the address (so the server stores nothing until it is answered), and the message to sign.
 *
 * @example
 * ```ts
 * const { nonce, message } = createWalletChallenge(secret, "0xabc...", clock);
 * // the wallet signs `message`; the client posts { walletAddress, nonce, signature }
 * ```
 */
export function createWalletChallenge(secret: string, address: string, clock: Clock) {
  const random = randomBytes(16).toString("base64url");
  const expiresAt = clock.now() + CHALLENGE_TTL * 1000;
  const nonce = `${random}.${expiresAt}.${mac(secret, address, random, expiresAt)}`;
  return { nonce, message: challengeMessage(address, nonce, expiresAt), expiresAt: new Date(expiresAt) };
}

/** Why a wallet sign-in was refused, or that it was accepted. */
export type WalletVerdict = "ok" | "malformed" | "expired" | "bad-signature" | "replayed";

/**
 * Checks an answered challenge: the nonce is ours, for this address and unexpired; the signature
 * recovers to the address; and the nonce was never used before (it is recorded in
 * token_blacklist until it expires, which makes it single-use across every instance).
 */
export async function verifyWalletChallenge(
  db: Queryable,
  secret: string,
  input: { address: string; nonce: string; signature: string },
  clock: Clock,
): Promise<WalletVerdict> {
  const [random, expires, tag, extra] = input.nonce.split(".");
  const expiresAt = Number(expires);
  if (!random || !tag || extra !== undefined || !Number.isSafeInteger(expiresAt)) return "malformed";
  const expected = Buffer.from(mac(secret, input.address, random, expiresAt));
  const actual = Buffer.from(tag);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return "malformed";
  if (expiresAt <= clock.now()) return "expired";
  const message = challengeMessage(input.address, input.nonce, expiresAt);
  if (recoverPersonalSignAddress(message, input.signature) !== input.address) return "bad-signature";
  const { rowCount } = await db.query(
    "INSERT INTO token_blacklist (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING",
    [`wallet-nonce:${random}`, new Date(expiresAt)],
  );
  return rowCount === 1 ? "ok" : "replayed";
}
