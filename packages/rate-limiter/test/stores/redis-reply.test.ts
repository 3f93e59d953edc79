import { describe, expect, it } from "vitest";
import { decodeConsumeReply } from "../../src/stores/redis/reply.js";
import { isNoScriptError } from "../../src/stores/redis/script.js";

describe("decodeConsumeReply", () => {
  it("decodes numbers and numeric strings alike, with blockedUntil only when a block is set", () => {
    expect(decodeConsumeReply([1000, 1, 4, 2000, 0, 0, "0", "0", "3000", "500", "3000"], 2)).toEqual({
      now: 1000,
      decisions: [
        { allowed: true, remaining: 4, resetAt: 2000, retryAfterMs: 0 },
        { allowed: false, remaining: 0, resetAt: 3000, retryAfterMs: 500, blockedUntil: 3000 },
      ],
    });
  });

  it("refuses replies of the wrong shape", () => {
    expect(decodeConsumeReply("OK", 1)).toBeUndefined();
    expect(decodeConsumeReply([1000, 1, 4, 2000, 0], 1)).toBeUndefined();
    expect(decodeConsumeReply([1000, 1, "four", 2000, 0, 0], 1)).toBeUndefined();
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
