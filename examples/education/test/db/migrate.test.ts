import { beforeAll, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { type MigrateResult, migrate } from "../../src/db/migrate.js";
import { type Migration, migrationChecksum, readMigrations } from "../../src/db/migration-files.js";
import { describeOnEachDatabase } from "../support/databases.js";

/** The 16 indexes the original's 019 names, with what each definition must contain. */
const ORIGINAL_019 = {
  idx_users_email: "(email)",
  idx_users_wallet: "(wallet_address) WHERE (wallet_address IS NOT NULL)",
  idx_users_active: "(is_active) WHERE (is_active = true)",
  idx_refresh_tokens_user: "(user_id)",
  idx_refresh_tokens_expires: "(expires_at)",
  idx_token_blacklist_expires: "(expires_at)",
  idx_time_tracking_session: "(session_start DESC)",
  idx_quiz_perf_user_quiz: "(user_id, quiz_id)",
  idx_code_sub_user_tutorial: "(user_id, tutorial_id)",
  idx_user_progress_status: "(user_id, status)",
  idx_achievements_earned: "(user_id, earned_at DESC)",
  idx_practice_sessions_composite: "(user_id, content_type, content_id)",
  idx_user_certs_passed: "(user_id, passed) WHERE (passed = true)",
  idx_user_certs_issued: "(issued_at DESC) WHERE (issued_at IS NOT NULL)",
  idx_learning_paths_skill: "(skill_level)",
  idx_skill_assessments_user_type: "(user_id, assessment_type)",
};

async function indexes(db: Database): Promise<Map<string, string>> {
  const { rows } = await db.query<{ indexname: string; indexdef: string }>(
    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()",
  );
  return new Map(rows.map((row) => [row.indexname, row.indexdef]));
}

async function recorded(db: Database): Promise<{ name: string; checksum: string }[]> {
  const { rows } = await db.query<{ name: string; checksum: string }>(
    "SELECT name, checksum FROM schema_migrations ORDER BY name",
  );
  return rows;
}

const files = await readMigrations();
const names = files.map((m) => m.name);

function fake(number: number, sql: string): Migration {
  const name = `${String(number).padStart(3, "0")}_fake`;
  return { name, number, sql, checksum: migrationChecksum(sql) };
}

describeOnEachDatabase(
  "migrate",
  (target) => {
    // One schema migrated once, shared by the tests that only read it.
    let db: Database;
    let first: MigrateResult;
    beforeAll(async () => {
      db = await target.freshSchema("all");
      first = await migrate(db);
    });

    it("applies every migration in order on an empty schema and records each name with its checksum", async () => {
      expect(first).toEqual({ applied: names, skipped: [] });
      expect(await recorded(db)).toEqual(files.map(({ name, checksum }) => ({ name, checksum })));
    });

    it("applies nothing and changes nothing when run a second time", async () => {
      const before = await indexes(db);
      const second = await migrate(db);
      expect(second).toEqual({ applied: [], skipped: names });
      expect(await indexes(db)).toEqual(before);
    });

    it("leaves every index the original's 019 names, with its columns, order and predicate", async () => {
      const present = await indexes(db);
      for (const [name, definition] of Object.entries(ORIGINAL_019)) {
        expect(present.get(name), name).toContain(definition);
      }
    });

    it("leaves no two indexes with the same table, columns and predicate", async () => {
      const { rows } = await db.query(
        `SELECT indrelid::regclass::text AS table_name, array_agg(indexrelid::regclass::text) AS copies
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE c.relnamespace = current_schema()::regnamespace
          GROUP BY indrelid, indkey::text, coalesce(pg_get_expr(indexprs, indrelid), ''),
                   coalesce(pg_get_expr(indpred, indrelid), ''), indoption::text
         HAVING count(*) > 1`,
      );
      expect(rows).toEqual([]);
    });

    it("keeps the unique email constraint working under its new name", async () => {
      const insert = "INSERT INTO users (email, password_hash, display_name) VALUES ($1, 'x', 'A')";
      await db.query(insert, ["a@example.test"]);
      await expect(db.query(insert, ["a@example.test"])).rejects.toMatchObject({
        code: "23505",
        constraint: "idx_users_email",
      });
    });

    it("stops after the migration numbered `until`", async () => {
      const db = await target.freshSchema("until");
      const result = await migrate(db, { until: 18 });
      const present = await indexes(db);
      expect(result.applied.at(-1)).toBe("010_add_performance_indexes");
      expect([present.has("users_email_key"), present.has("idx_users_email")]).toEqual([true, false]);
      expect((await migrate(db)).applied).toEqual(names.filter((name) => name >= "019"));
    });

    it("applies each migration once when two runners start together", async () => {
      const db = await target.freshSchema("race");
      const other = await target.secondPool(db);
      const [first, second] = await Promise.all([migrate(db), migrate(other)]);
      expect([...first.applied, ...second.applied].sort()).toEqual(names);
      expect([...first.skipped, ...second.skipped].sort()).toEqual(names);
      expect(await recorded(db)).toHaveLength(names.length);
    });

    it("refuses to continue past a migration that changed after it was applied", async () => {
      const db = await target.freshSchema("edited");
      await migrate(db, { migrations: [fake(1, "CREATE TABLE a (n int);")] });
      const edited = [fake(1, "CREATE TABLE a (n bigint);"), fake(2, "CREATE TABLE b (n int);")];
      await expect(migrate(db, { migrations: edited })).rejects.toMatchObject({
        code: "ERR_KEEL_EDUCATION_MIGRATION_CHECKSUM",
        message: expect.stringMatching(/001_fake changed after it was applied/),
      });
      const { rows } = await db.query("SELECT to_regclass('b') AS b");
      expect(rows).toEqual([{ b: null }]);
    });

    it("rolls a failing migration back completely, keeping the ones before it", async () => {
      const db = await target.freshSchema("failing");
      const migrations = [
        fake(1, "CREATE TABLE kept (n int);"),
        fake(2, "CREATE TABLE lost (n int); INSERT INTO lost VALUES ('not a number');"),
      ];
      const failure = migrate(db, { migrations });
      await expect(failure).rejects.toMatchObject({
        code: "ERR_KEEL_EDUCATION_MIGRATION_FAILED",
        message: expect.stringMatching(/002_fake failed and was rolled back/),
      });
      const { rows } = await db.query(
        "SELECT to_regclass('kept') IS NOT NULL AS kept, to_regclass('lost') AS lost",
      );
      expect({ rows, recorded: (await recorded(db)).map((r) => r.name) }).toEqual({
        rows: [{ kept: true, lost: null }],
        recorded: ["001_fake"],
      });
    });
  },
  { migrated: false },
);
