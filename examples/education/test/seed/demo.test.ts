import { expect, it } from "vitest";
import { verifyPassword } from "../../src/auth/password.js";
import type { Database } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import { DEMO_USERS, seedDemoData } from "../../src/seed/demo.js";
import { describeOnEachDatabase } from "../support/databases.js";

const cheap = { scryptCost: { N: 1024, r: 8, p: 1 } };

async function counts(db: Database): Promise<Record<string, number>> {
  const { rows } = await db.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM modules) AS modules, (SELECT count(*) FROM module_content) AS module_content,
            (SELECT count(*) FROM quizzes) AS quizzes, (SELECT count(*) FROM tutorials) AS tutorials,
            (SELECT count(*) FROM tutorial_steps) AS tutorial_steps, (SELECT count(*) FROM challenges) AS challenges,
            (SELECT count(*) FROM certifications) AS certifications,
            (SELECT count(*) FROM certification_requirements) AS certification_requirements,
            (SELECT count(*) FROM learning_paths) AS learning_paths, (SELECT count(*) FROM users) AS users`,
  );
  return rows[0]!;
}

describeOnEachDatabase("seedDemoData", (target) => {
  it("fills the catalog and creates the demo users on the first call only", async () => {
    const first = await seedDemoData(target.db, cheap);
    const after = await counts(target.db);
    const second = await seedDemoData(target.db, cheap);
    expect({ first, second }).toEqual({ first: { seeded: true }, second: { seeded: false } });
    expect(after).toEqual({
      modules: 4,
      module_content: 12,
      quizzes: 4,
      tutorials: 3,
      tutorial_steps: 10,
      challenges: 3,
      certifications: 2,
      certification_requirements: 5,
      learning_paths: 2,
      users: 3,
    });
    expect(await counts(target.db)).toEqual(after);
  });

  it("stores the demo passwords as scrypt hashes that verify, and the wallet user without one", async () => {
    const { rows } = await target.db.query<{
      email: string | null;
      password_hash: string | null;
      role: string;
    }>("SELECT email, password_hash, role FROM users ORDER BY email NULLS LAST");
    expect(rows.map((r) => [r.email, r.role])).toEqual([
      [DEMO_USERS.admin.email, "admin"],
      [DEMO_USERS.learner.email, "learner"],
      [null, "learner"],
    ]);
    expect(await verifyPassword(DEMO_USERS.learner.password, rows[1]!.password_hash!)).toBe(true);
    expect(await verifyPassword(DEMO_USERS.admin.password, rows[0]!.password_hash!)).toBe(true);
    expect(rows[2]!.password_hash).toBeNull();
  });

  it("exposes no quiz answers or challenge solutions through the public views", async () => {
    const quizzes = await target.db.query("SELECT * FROM public_quizzes");
    const challenges = await target.db.query("SELECT * FROM public_challenges");
    const text = JSON.stringify([quizzes.rows, challenges.rows]);
    expect(Object.keys(quizzes.rows[0]!)).not.toContain("answer_key");
    expect(Object.keys(challenges.rows[0]!)).not.toEqual(expect.arrayContaining(["solution"]));
    expect(Object.keys(challenges.rows[0]!)).not.toContain("hidden_tests");
    expect(text).not.toMatch(/Checks-effects-interactions|row_number\(\) OVER/);
  });

  it("seeds once when two instances start together", async () => {
    const db = await target.freshSchema("seed_race");
    await migrate(db);
    const other = await target.secondPool(db);
    const results = await Promise.all([seedDemoData(db, cheap), seedDemoData(other, cheap)]);
    expect(results.filter((r) => r.seeded)).toHaveLength(1);
    expect((await counts(db)).users).toBe(3);
  });
});
