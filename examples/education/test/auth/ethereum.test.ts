import { secp256k1 } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import {
  addressOfPublicKey,
  personalMessageHash,
  recoverPersonalSignAddress,
} from "../../src/auth/ethereum.js";
import { personalSign } from "../support/wallet.js";

// The well-known first account of Hardhat and Anvil's default mnemonic: a fixed vector whose
// address every Ethereum tool agrees on.
const HARDHAT_KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const HARDHAT_ADDRESS = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

describe("Ethereum personal_sign recovery", () => {
  it("derives the address every Ethereum tool derives from a key", () => {
    const publicKey = secp256k1.getPublicKey(Buffer.from(HARDHAT_KEY, "hex"), false);
    expect(addressOfPublicKey(publicKey)).toBe(HARDHAT_ADDRESS);
  });

  it("hashes with the EIP-191 prefix: keccak256 of the empty message matches the known value", () => {
    // keccak256("\x19Ethereum Signed Message:\n0")
    expect(Buffer.from(personalMessageHash("")).toString("hex")).toBe(
      "5f35dce98ba4fba25530a026ed80b2cecdaa31091ba4958b99b52ea1d068adad",
    );
  });

  it("recovers the signer's address from a signature, with v as 27/28 or 0/1", () => {
    const signature = personalSign("hello keel", HARDHAT_KEY);
    expect(recoverPersonalSignAddress("hello keel", signature)).toBe(HARDHAT_ADDRESS);
    const v = Number.parseInt(signature.slice(-2), 16);
    const raw = `${signature.slice(0, -2)}${(v - 27).toString(16).padStart(2, "0")}`;
    expect(recoverPersonalSignAddress("hello keel", raw)).toBe(HARDHAT_ADDRESS);
  });

  it("recovers another address for another message, and nothing from garbage", () => {
    const signature = personalSign("hello keel", HARDHAT_KEY);
    expect(recoverPersonalSignAddress("hello keal", signature)).not.toBe(HARDHAT_ADDRESS);
    expect(recoverPersonalSignAddress("x", "0x1234")).toBeUndefined();
    expect(recoverPersonalSignAddress("x", `0x${"00".repeat(64)}1b`)).toBeUndefined();
    expect(recoverPersonalSignAddress("x", `${signature.slice(0, -2)}05`)).toBeUndefined();
  });
});
