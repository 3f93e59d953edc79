import { expect, it } from "vitest";
import { describeOnEachDatabase } from "../support/databases.js";

describeOnEachDatabase(
  "Database",
  (target) => {
    it("binds text, numbers, dates, arrays, json and null as parameters and reads them back", async () => {
      const when = new Date("2025-03-01T12:34:56.789Z");
      const { rows } = await target.db.query<{
        text: string;
        n: number;
        at: Date;
        ids: string[];
        doc: { a: number[] };
        none: null;
      }>(
        "SELECT $1::text AS text, $2::int AS n, $3::timestamptz AS at, $4::uuid[] AS ids, $5::jsonb AS doc, $6::text AS none",
        [
          "O'Brien; DROP TABLE x --",
          42,
          when,
          ["7f3c1c9e-0a55-4a49-9a55-8f1f5cbb1a01"],
          JSON.stringify({ a: [1, 2] }),
          null,
        ],
      );
      expect(rows).toEqual([
        {
          text: "O'Brien; DROP TABLE x --",
          n: 42,
          at: when,
          ids: ["7f3c1c9e-0a55-4a49-9a55-8f1f5cbb1a01"],
          doc: { a: [1, 2] },
          none: null,
        },
      ]);
    });

    it("returns bigint columns as numbers on both backends", async () => {
      const { rows } = await target.db.query<{ total: number }>(
        "SELECT count(*) AS total FROM generate_series(1, 3)",
      );
      expect(rows).toEqual([{ total: 3 }]);
    });

    it("refuses a bigint beyond the safe integer range instead of rounding it", async () => {
      await expect(target.db.query("SELECT 9007199254740993::bigint AS big")).rejects.toMatchObject({
        code: "ERR_KEEL_EDUCATION_INT8_RANGE",
      });
    });

    it("counts the rows a statement changed", async () => {
      await target.db.query("CREATE TABLE counted (n int)");
      const inserted = await target.db.query("INSERT INTO counted SELECT generate_series(1, 5)");
      const deleted = await target.db.query("DELETE FROM counted WHERE n > $1", [2]);
      expect([inserted.rowCount, deleted.rowCount]).toEqual([5, 3]);
    });

    it("counts the rows a SELECT returned, as pg does", async () => {
      const none = await target.db.query("SELECT 1 WHERE false");
      const three = await target.db.query("SELECT generate_series(1, 3)");
      const returning = await target.db.transaction((tx) => tx.query("SELECT 1 AS one UNION ALL SELECT 2"));
      expect([none.rowCount, three.rowCount, returning.rowCount]).toEqual([0, 3, 2]);
    });

    it("commits a transaction when its function resolves, returning what it returned", async () => {
      await target.db.query("CREATE TABLE committed (n int)");
      const returned = await target.db.transaction(async (tx) => {
        await tx.query("INSERT INTO committed VALUES ($1)", [1]);
        await tx.query("INSERT INTO committed VALUES ($1)", [2]);
        return "done";
      });
      const { rows } = await target.db.query("SELECT n FROM committed ORDER BY n");
      expect({ returned, rows }).toEqual({ returned: "done", rows: [{ n: 1 }, { n: 2 }] });
    });

    it("rolls a transaction back and rethrows when its function throws", async () => {
      await target.db.query("CREATE TABLE rolled_back (n int)");
      const failure = new Error("stop");
      await expect(
        target.db.transaction(async (tx) => {
          await tx.query("INSERT INTO rolled_back VALUES (1)");
          throw failure;
        }),
      ).rejects.toBe(failure);
      const { rows } = await target.db.query("SELECT n FROM rolled_back");
      expect(rows).toEqual([]);
    });

    it("rolls back every statement of a script when one of them fails", async () => {
      await expect(
        target.db.transaction((tx) =>
          tx.exec("CREATE TABLE half_done (n int); SELECT no_such_column FROM half_done;"),
        ),
      ).rejects.toThrow(/no_such_column/);
      const { rows } = await target.db.query("SELECT to_regclass('half_done') AS found");
      expect(rows).toEqual([{ found: null }]);
    });

    it("keeps the database usable after a failed statement", async () => {
      await expect(target.db.query("SELECT * FROM no_such_table")).rejects.toThrow(/no_such_table/);
      const { rows } = await target.db.query<{ one: number }>("SELECT 1 AS one");
      expect(rows).toEqual([{ one: 1 }]);
    });

    it("reads through the replica interface (the database itself when no replica is set)", async () => {
      const { rows } = await target.db.replica.query<{ two: number }>("SELECT $1::int + 1 AS two", [1]);
      expect(rows).toEqual([{ two: 2 }]);
    });
  },
  { migrated: false },
);
