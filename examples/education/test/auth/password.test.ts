import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../src/auth/password.js";

// A cheap cost keeps the suite fast; the format and the comparison are what is under test.
const cheap = { N: 1024, r: 8, p: 1 };

describe("password hashing", () => {
  it("verifies the password it hashed and refuses any other", async () => {
    const stored = await hashPassword("s3cret pass", cheap);
    expect([
      await verifyPassword("s3cret pass", stored),
      await verifyPassword("s3cret pasS", stored),
    ]).toEqual([true, false]);
  });

  it("salts every hash, so one password never hashes twice to the same value", async () => {
    const [a, b] = await Promise.all([hashPassword("same", cheap), hashPassword("same", cheap)]);
    expect(a).not.toBe(b);
  });

  it("records its cost in the hash, so a hash made with another cost still verifies", async () => {
    const stored = await hashPassword("pw", { N: 2048, r: 4, p: 2 });
    expect(stored).toMatch(/^scrypt\$2048\$4\$2\$/);
    expect(await verifyPassword("pw", stored)).toBe(true);
  });

  it("treats a Unicode password the same in composed and decomposed form", async () => {
    const stored = await hashPassword("caf\u00e9", cheap);
    expect(await verifyPassword("cafe\u0301", stored)).toBe(true);
  });

  it.each(["", "bcrypt$10$x$y", "scrypt$0$8$1$c2FsdA==$a2V5", "scrypt$1024$8$1$$a2V5"])(
    "throws a coded error for a stored value that is not a hash (%j)",
    async (stored) => {
      await expect(verifyPassword("pw", stored)).rejects.toMatchObject({
        code: "ERR_KEEL_EDUCATION_PASSWORD_HASH",
      });
    },
  );
});
