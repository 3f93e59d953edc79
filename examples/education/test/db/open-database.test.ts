import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { databaseConfigFromEnv, openDatabase } from "../../src/db/open-database.js";

describe("databaseConfigFromEnv", () => {
  it("reads the three variables and treats empty ones as unset", () => {
    expect(
      databaseConfigFromEnv({
        DATABASE_URL: "postgres://a/b",
        DATABASE_READ_URL: "",
        PGLITE_DATA_DIR: "/var/lib/education",
      }),
    ).toEqual({ databaseUrl: "postgres://a/b", pgliteDataDir: "/var/lib/education" });
  });
});

describe("openDatabase", () => {
  it("opens a pg pool for a DATABASE_URL, without connecting", async () => {
    const db = await openDatabase({ databaseUrl: "postgres://nobody@127.0.0.1:1/none" });
    expect(db.dialect).toBe("postgres");
    await db.close();
  });

  it("refuses a read replica without a primary", async () => {
    await expect(openDatabase({ databaseReadUrl: "postgres://replica/db" })).rejects.toMatchObject({
      code: "ERR_KEEL_EDUCATION_CONFIG",
    });
  });

  it("opens PGlite in a directory whose data survives closing and reopening", async () => {
    const dir = await mkdtemp(join(tmpdir(), "keel-education-pglite-"));
    try {
      const first = await openDatabase({ pgliteDataDir: dir });
      await first.query("CREATE TABLE kept (n int)");
      await first.query("INSERT INTO kept VALUES (7)");
      await first.close();
      const second = await openDatabase({ pgliteDataDir: dir });
      const { rows } = await second.query("SELECT n FROM kept");
      await second.close();
      expect({ dialect: second.dialect, rows }).toEqual({ dialect: "pglite", rows: [{ n: 7 }] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
