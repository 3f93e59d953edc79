import { beforeAll, expect, it } from "vitest";
import { type GenerateResult, generateData } from "../../src/seed/generate.js";
import { describeOnEachDatabase } from "../support/databases.js";

const USERS = 250;
const cheap = { N: 1024, r: 8, p: 1 };

describeOnEachDatabase("generateData", (target) => {
  let result: GenerateResult;
  beforeAll(async () => {
    result = await generateData(target.db, { users: USERS, scryptCost: cheap });
  });

  it("puts rows in every table but the migrations record and the archive", async () => {
    const { rows: tables } = await target.db.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()
          AND tablename NOT IN ('schema_migrations', 'learning_time_tracking_archive') ORDER BY 1`,
    );
    const empty: string[] = [];
    for (const { name } of tables) {
      const { rows } = await target.db.query<{ n: number }>(`SELECT count(*) AS n FROM ${name}`);
      if (rows[0]!.n === 0) empty.push(name);
    }
    expect(tables.length).toBeGreaterThan(20);
    expect(empty).toEqual([]);
  });

  it("creates the requested number of users, reporting each step's rows", async () => {
    const { rows } = await target.db.query<{ n: number }>("SELECT count(*) AS n FROM users");
    expect(rows[0]!.n).toBe(USERS);
    expect(result.steps.find((s) => s.table === "users")?.rows).toBe(USERS);
    expect(result.steps.find((s) => s.table === "learning_time_tracking")?.rows).toBeGreaterThan(USERS * 8);
  });

  it("skews activity: the busiest user has many times the median user's sessions", async () => {
    const { rows } = await target.db.query<{ busiest: number; median: number }>(
      `SELECT max(n) AS busiest, percentile_disc(0.5) WITHIN GROUP (ORDER BY n) AS median
         FROM (SELECT count(*) AS n FROM learning_time_tracking GROUP BY user_id) per_user`,
    );
    expect(rows[0]!.busiest).toBeGreaterThanOrEqual(rows[0]!.median * 5);
  });

  it("leaves no row pointing at a missing parent, though it skips foreign-key checks for speed", async () => {
    const { rows: keys } = await target.db.query<{
      child: string;
      col: string;
      parent: string;
      pcol: string;
    }>(
      `SELECT c.conrelid::regclass::text AS child, a.attname AS col, c.confrelid::regclass::text AS parent,
              pa.attname AS pcol
         FROM pg_constraint c
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace AND cardinality(c.conkey) = 1`,
    );
    const orphans: string[] = [];
    for (const k of keys) {
      const { rows } = await target.db.query<{ n: number }>(
        `SELECT count(*) AS n FROM ${k.child} x WHERE x.${k.col} IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM ${k.parent} p WHERE p.${k.pcol} = x.${k.col})`,
      );
      if (rows[0]!.n > 0) orphans.push(`${k.child}.${k.col}: ${rows[0]!.n}`);
    }
    expect(keys.length).toBeGreaterThan(20);
    expect(orphans).toEqual([]);
  });

  it("drops its scratch tables", async () => {
    const { rows } = await target.db.query(
      "SELECT tablename FROM pg_tables WHERE tablename LIKE '\\_gen\\_%'",
    );
    expect(rows).toEqual([]);
  });

  it("adds a second run under a new tag without colliding with the first", async () => {
    const second = await generateData(target.db, { users: 20, scryptCost: cheap });
    const { rows } = await target.db.query<{ n: number }>("SELECT count(*) AS n FROM users");
    expect(second.tag).not.toBe(result.tag);
    expect(rows[0]!.n).toBe(USERS + 20);
  });

  it("refuses a user count that is not a positive whole number", async () => {
    await expect(generateData(target.db, { users: 0 })).rejects.toMatchObject({
      code: "ERR_KEEL_EDUCATION_CONFIG",
    });
  });
});
