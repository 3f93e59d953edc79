import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Queryable } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import { createPostgresDatabase } from "../../src/db/postgres.js";
import { learningTimeByDay, userLearningTime } from "../../src/queries/analytics.js";
import { DATABASE_URL, describeOnEachDatabase, hasPostgres, uniqueSchema } from "../support/databases.js";
import { DAY, insertUser, NOW } from "../support/fixtures.js";

const HOUR = 3_600_000;

async function session(db: Queryable, user: string, start: number, seconds: number | null) {
  await db.query(
    `INSERT INTO learning_time_tracking (user_id, content_type, content_id, session_start, session_end, duration_seconds)
     VALUES ($1, 'tutorial', gen_random_uuid(), $2, $3, $4)`,
    [user, new Date(start), seconds === null ? null : new Date(start + seconds * 1000), seconds],
  );
}

describeOnEachDatabase("analytics queries", (target) => {
  let alice: string;
  let bob: string;
  beforeEach(async () => {
    await target.db.query("TRUNCATE learning_time_tracking");
    [alice, bob] = [await insertUser(target.db), await insertUser(target.db)];
    await session(target.db, alice, NOW - DAY + HOUR, 600); // day before, 01:00 UTC
    await session(target.db, bob, NOW - HOUR, 1200); // day before, 23:00 UTC
    await session(target.db, alice, NOW + 2 * HOUR, 300); // the day itself
    await session(target.db, alice, NOW + 3 * HOUR, null); // still open
    await session(target.db, bob, NOW + DAY, 900); // the next day: outside the range
  });

  it("totals sessions and closed seconds per UTC day over a half-open range", async () => {
    const days = await learningTimeByDay(target.db, { from: new Date(NOW - DAY), to: new Date(NOW + DAY) });
    expect(days).toEqual([
      { day: new Date(NOW - DAY), sessions: 2, seconds: 1800 },
      { day: new Date(NOW), sessions: 2, seconds: 300 },
    ]);
  });

  it("totals one user's time, and zero for a user with none in the range", async () => {
    const range = { from: new Date(NOW - DAY), to: new Date(NOW + DAY) };
    expect(await userLearningTime(target.db, alice, range)).toEqual({ sessions: 3, seconds: 900 });
    expect(await userLearningTime(target.db, bob, { from: new Date(NOW), to: new Date(NOW + HOUR) })).toEqual(
      {
        sessions: 0,
        seconds: 0,
      },
    );
  });
});

describe.skipIf(!hasPostgres)("analytics queries with a read replica (PostgreSQL)", () => {
  // The "replica" is another schema: what the analytics return shows which pool answered,
  // the way a lagging replica differs from its primary.
  const schemas = { primary: uniqueSchema("primary"), replica: uniqueSchema("replica") };
  const admin = createPostgresDatabase({ url: DATABASE_URL, max: 1 });
  const url = (schema: string) => `${DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const db = createPostgresDatabase({ url: url(schemas.primary), readUrl: url(schemas.replica), max: 2 });

  beforeAll(async () => {
    for (const schema of Object.values(schemas)) {
      await admin.query(`CREATE SCHEMA ${schema}`);
      const each = createPostgresDatabase({ url: DATABASE_URL, searchPath: schema, max: 1 });
      await migrate(each);
      await each.close();
    }
    const replica = createPostgresDatabase({ url: url(schemas.replica), max: 1 });
    await session(replica, await insertUser(replica), NOW, 60);
    await replica.close();
  });

  afterAll(async () => {
    await db.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schemas.primary}, ${schemas.replica} CASCADE`);
    await admin.close();
  });

  it("reads the analytics from the replica, not the primary", async () => {
    const range = { from: new Date(NOW - DAY), to: new Date(NOW + DAY) };
    const { rows } = await db.query("SELECT count(*) AS n FROM learning_time_tracking");
    expect(rows).toEqual([{ n: 0 }]);
    expect(await learningTimeByDay(db, range)).toEqual([{ day: new Date(NOW), sessions: 1, seconds: 60 }]);
  });
});
