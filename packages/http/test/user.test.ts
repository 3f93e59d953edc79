import { describe, expect, it } from "vitest";
import { defaultUserId } from "../src/index.js";

describe("defaultUserId", () => {
  it("prefers user.id, then user.userId, then userId", () => {
    expect(defaultUserId({ user: { id: "a", userId: "b" }, userId: "c" })).toBe("a");
    expect(defaultUserId({ user: { userId: "b" }, userId: "c" })).toBe("b");
    expect(defaultUserId({ userId: "c" })).toBe("c");
  });

  it("turns numeric ids into strings", () => {
    expect(defaultUserId({ user: { id: 42 } })).toBe("42");
    expect(defaultUserId({ userId: 10n })).toBe("10");
  });

  it("skips values that cannot be an id", () => {
    expect(defaultUserId({ user: { id: "", userId: Number.NaN }, userId: { nested: 1 } })).toBeUndefined();
    expect(defaultUserId({ user: { id: null, userId: 7 } })).toBe("7");
  });

  it("returns undefined for anonymous requests and non-objects", () => {
    for (const source of [undefined, null, 42, "user", {}, { user: "alice" }]) {
      expect(defaultUserId(source)).toBeUndefined();
    }
  });

  it("reads functions' properties too", () => {
    const holder = Object.assign(() => undefined, { userId: "fn" });
    expect(defaultUserId(holder)).toBe("fn");
  });
});
