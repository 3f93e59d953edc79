import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrationChecksum, readMigrations } from "../../src/db/migration-files.js";

const dirs: string[] = [];

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "keel-migrations-"));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("readMigrations", () => {
  it("reads the example's migrations in number order, 019 among them", async () => {
    const migrations = await readMigrations();
    const numbers = migrations.map((m) => m.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(migrations.map((m) => m.name)).toContain("019_add_additional_indexes");
  });

  it("orders by number and ignores files that are not .sql", async () => {
    const dir = await dirWith({ "010_b.sql": "SELECT 2;", "002_a.sql": "SELECT 1;", "README.md": "notes" });
    expect((await readMigrations(dir)).map((m) => [m.name, m.number])).toEqual([
      ["002_a", 2],
      ["010_b", 10],
    ]);
  });

  it("rejects a file name without a three-digit number", async () => {
    const dir = await dirWith({ "1_users.sql": "SELECT 1;" });
    await expect(readMigrations(dir)).rejects.toMatchObject({ code: "ERR_KEEL_EDUCATION_MIGRATION_NAME" });
  });

  it("rejects two files with one number", async () => {
    const dir = await dirWith({ "003_a.sql": "SELECT 1;", "003_b.sql": "SELECT 2;" });
    await expect(readMigrations(dir)).rejects.toThrow(/share the number 003/);
  });
});

describe("migrationChecksum", () => {
  it("is the same for CRLF and LF line endings, and differs when the SQL does", () => {
    const lf = "CREATE TABLE a (n int);\nSELECT 1;\n";
    expect(migrationChecksum(lf.replace(/\n/g, "\r\n"))).toBe(migrationChecksum(lf));
    expect(migrationChecksum(lf)).not.toBe(migrationChecksum(lf.replace("int", "bigint")));
  });
});
