import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";

const encoder = new TextEncoder();
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;

/** The EIP-191 hash a wallet signs for `personal_sign(message)`. */
export function personalMessageHash(message: string): Uint8Array {
  const body = encoder.encode(message);
  const prefix = encoder.encode(`\x19Ethereum Signed Message:\n${body.length}`);
  const data = new Uint8Array(prefix.length + body.length);
  data.set(prefix);
  data.set(body, prefix.length);
  return keccak_256(data);
}

/** The address (lower-case 0x + 40 hex) of an uncompressed or compressed secp256k1 public key. */
export function addressOfPublicKey(publicKey: Uint8Array): string {
  const uncompressed = secp256k1.Point.fromBytes(publicKey).toBytes(false);
  const hash = keccak_256(uncompressed.subarray(1));
  return `0x${Buffer.from(hash.subarray(12)).toString("hex")}`;
}

/**
 * Recovers the address that produced a `personal_sign` signature (`0x` + r + s + v, 65 bytes,
 * v 27/28 or 0/1) over `message`; `undefined` when the signature is malformed or recovers
 * nothing. Compare the result to the claimed address.
 *
 * @example
 * ```ts
 * if (recoverPersonalSignAddress(message, signature) !== walletAddress) throw unauthorized("bad signature");
 * ```
 */
export function recoverPersonalSignAddress(message: string, signature: string): string | undefined {
  if (!SIGNATURE.test(signature)) return undefined;
  const bytes = Buffer.from(signature.slice(2), "hex");
  const v = bytes[64]!;
  const recovery = v >= 27 ? v - 27 : v;
  if (recovery !== 0 && recovery !== 1) return undefined;
  // noble's "recovered" format is [recovery, r, s].
  const recovered = new Uint8Array(65);
  recovered[0] = recovery;
  recovered.set(bytes.subarray(0, 64), 1);
  try {
    const publicKey = secp256k1.recoverPublicKey(recovered, personalMessageHash(message), { prehash: false });
    return addressOfPublicKey(publicKey);
  } catch {
    return undefined;
  }
}
