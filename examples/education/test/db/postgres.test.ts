import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase } from "../../src/db/postgres.js";
import { DATABASE_URL, hasPostgres, uniqueSchema } from "../support/databases.js";

describe("createPostgresDatabase options", () => {
  it.each([
    [{ url: "mysql://root@127.0.0.1/app" }, /url must be a postgres:\/\/ URL/],
    [{ url: "postgres://u:secret@h/db", readUrl: "http://replica" }, /readUrl must be a postgres:\/\/ URL/],
    [{ url: "postgres://h/db", searchPath: "x; DROP SCHEMA public" }, /searchPath must be comma-separated/],
    [{ url: "postgres://h/db", max: 0 }, /max must be a whole number/],
  ])("rejects %j with a message that says how to fix it", (options, message) => {
    expect(() => createPostgresDatabase(options)).toThrow(message);
  });

  it("never repeats a password from a rejected URL", () => {
    expect(() => createPostgresDatabase({ url: "mysql://root:hunter2@127.0.0.1/app" })).toThrow(
      /mysql:\/\/root:\*\*\*@127/,
    );
  });

  it("opens no connection until the first query, and closes twice without error", async () => {
    const db = createPostgresDatabase({ url: "postgres://nobody@127.0.0.1:1/none" });
    await db.close();
    await expect(db.close()).resolves.toBeUndefined();
  });
});

describe.skipIf(!hasPostgres)("createPostgresDatabase on a real server", () => {
  const schema = uniqueSchema("pool");
  const admin = createPostgresDatabase({ url: DATABASE_URL, max: 1 });
  // The "replica" is the same server: its read-only connections are what tell the pools apart.
  const db = createPostgresDatabase({ url: DATABASE_URL, readUrl: DATABASE_URL, searchPath: schema, max: 3 });

  beforeAll(async () => {
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.notes (body text)`);
  });

  afterAll(async () => {
    await db.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  });

  it("resolves unqualified names in the configured schema on every pooled connection", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => db.query<{ schema: string }>("SELECT current_schema() AS schema")),
    );
    expect(results.map((r) => r.rows[0]?.schema)).toEqual(Array(6).fill(schema));
  });

  it("sends replica queries to the read pool, whose connections refuse writes", async () => {
    const primary = await db.query("SELECT current_setting('transaction_read_only') AS ro");
    const replica = await db.replica.query("SELECT current_setting('transaction_read_only') AS ro");
    expect([primary.rows, replica.rows]).toEqual([[{ ro: "off" }], [{ ro: "on" }]]);
    await expect(db.replica.query("INSERT INTO notes VALUES ('x')")).rejects.toThrow(/read-only/);
  });

  it("keeps a URL's own options and adds the replica's read-only setting to them", async () => {
    const url = `${DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema} -c work_mem=7MB`)}`;
    const own = createPostgresDatabase({ url, readUrl: url, max: 1 });
    try {
      const sql =
        "SELECT current_schema() AS s, current_setting('work_mem') AS w, current_setting('transaction_read_only') AS ro";
      const [primary, replica] = [(await own.query(sql)).rows, (await own.replica.query(sql)).rows];
      expect({ primary, replica }).toEqual({
        primary: [{ s: schema, w: "7MB", ro: "off" }],
        replica: [{ s: schema, w: "7MB", ro: "on" }],
      });
    } finally {
      await own.close();
    }
  });

  it("writes through the primary pool", async () => {
    const result = await db.query("INSERT INTO notes VALUES ($1)", ["written"]);
    expect(result.rowCount).toBe(1);
  });
});
