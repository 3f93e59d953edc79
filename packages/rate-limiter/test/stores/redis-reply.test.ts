import { describe, expect, it } from "vitest";
import { decodeConsumeReply } from "../../src/stores/redis/reply.js";
import { isNoScriptError } from "../../src/stores/redis/script.js";

describe("decodeConsumeReply", () => {
  const twoPolicies = {
    now: 1000,
    decisions: [
      { allowed: true, remaining: 4, resetAt: 2000, retryAfterMs: 0 },
      { allowed: false, remaining: 0, resetAt: 3000, retryAfterMs: 500, blockedUntil: 3000 },
    ],
  };

  it("decodes the script's one string of integers, with blockedUntil only when a block is set", () => {
    expect(decodeConsumeReply("1000 1 4 2000 0 0 0 0 3000 500 3000", 2)).toEqual(twoPolicies);
  });

  it("decodes the same string handed back as a Buffer", () => {
    expect(decodeConsumeReply(Buffer.from("1000 1 4 2000 0 0 0 0 3000 500 3000"), 2)).toEqual(twoPolicies);
  });

  it("decodes negative and large integers exactly", () => {
    expect(decodeConsumeReply("1795669331282 0 -1 1795669391282 9007199254740991 0", 1)).toEqual({
      now: 1_795_669_331_282,
      decisions: [
        { allowed: false, remaining: -1, resetAt: 1_795_669_391_282, retryAfterMs: 9_007_199_254_740_991 },
      ],
    });
  });

  it("refuses replies of the wrong shape", () => {
    for (const reply of [
      "OK",
      "",
      "1000 1 4 2000 0",
      "1000 1 4 2000 0 0 0",
      "1000 1 four 2000 0 0",
      "1000 1 4 2000 0 0 ",
      " 1000 1 4 2000 0 0",
      "1000  1 4 2000 0 0",
      "1000 1 4 2000 0 -",
      "1000 1 4.5 2000 0 0",
      [1000, 1, 4, 2000, 0, 0],
      undefined,
      null,
      42,
    ]) {
      expect(decodeConsumeReply(reply, 1)).toBeUndefined();
    }
  });
});

describe("isNoScriptError", () => {
  it("recognises NOSCRIPT in errors and error strings, and nothing else", () => {
    expect(isNoScriptError(new Error("NOSCRIPT No matching script. Please use EVAL."))).toBe(true);
    expect(isNoScriptError("NOSCRIPT No matching script")).toBe(true);
    expect(
      isNoScriptError(new Error("WRONGTYPE Operation against a key holding the wrong kind of value")),
    ).toBe(false);
    expect(isNoScriptError(undefined)).toBe(false);
  });
});
