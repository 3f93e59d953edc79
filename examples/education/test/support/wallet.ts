import { secp256k1 } from "@noble/curves/secp256k1.js";
import { addressOfPublicKey, personalMessageHash } from "../../src/auth/ethereum.js";

/** What a wallet's `personal_sign` returns: 0x + r + s + v (27/28). */
export function personalSign(message: string, privateKeyHex: string): string {
  const recovered = secp256k1.sign(personalMessageHash(message), Buffer.from(privateKeyHex, "hex"), {
    prehash: false,
    format: "recovered",
  });
  const v = (27 + recovered[0]!).toString(16);
  return `0x${Buffer.from(recovered.subarray(1)).toString("hex")}${v}`;
}

/** A fresh wallet: its private key (hex) and address. */
export function newWallet(): { privateKey: string; address: string } {
  const privateKey = Buffer.from(secp256k1.utils.randomSecretKey()).toString("hex");
  return {
    privateKey,
    address: addressOfPublicKey(secp256k1.getPublicKey(Buffer.from(privateKey, "hex"), false)),
  };
}
