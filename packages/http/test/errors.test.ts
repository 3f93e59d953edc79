import { describe, expect, it } from "vitest";
import { HttpError } from "../src/index.js";

describe("HttpError", () => {
  it("carries a stable code, a message, a name and the cause", () => {
    const cause = new TypeError("inner");
    const error = new HttpError("ERR_KEEL_HTTP_TRUST_PROXY", "trustProxy: nope", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("HttpError");
    expect(error.code).toBe("ERR_KEEL_HTTP_TRUST_PROXY");
    expect(error.message).toBe("trustProxy: nope");
    expect(error.cause).toBe(cause);
    expect(String(error)).toBe("HttpError: trustProxy: nope");
  });

  it("has no cause unless given one", () => {
    expect("cause" in new HttpError("ERR_KEEL_HTTP_STATUS", "bad status")).toBe(false);
  });
});
