import { beforeEach, expect, it } from "vitest";
import { createPostgresDatabase } from "../../src/db/postgres.js";
import { ARCHIVE_TIME_TRACKING_BATCH, archiveTimeTracking } from "../../src/jobs/archive-time-tracking.js";
import { DATABASE_URL, describeOnEachDatabase } from "../support/databases.js";
import { countingDatabase, DAY, fixedClock, insertUser, NOW } from "../support/fixtures.js";

const COLUMNS = "id, user_id, content_type, content_id, session_start, session_end, duration_seconds";

describeOnEachDatabase("archiveTimeTracking", (target) => {
  let user: string;

  // Sessions 10, 200, 400, 500, 600 and 700 days old: with a 365-day retention, four move.
  beforeEach(async () => {
    await target.db.query("TRUNCATE learning_time_tracking, learning_time_tracking_archive");
    user = await insertUser(target.db);
    const starts = [10, 200, 400, 500, 600, 700].map((age) => new Date(NOW - age * DAY));
    await target.db.query(
      `INSERT INTO learning_time_tracking (user_id, content_type, content_id, session_start, session_end, duration_seconds)
       SELECT $1, 'module', gen_random_uuid(), s, s + interval '30 minutes', 1800
         FROM unnest($2::timestamptz[]) WITH ORDINALITY AS u(s, n) ORDER BY n`,
      [user, starts],
    );
  });

  async function snapshot(table: string) {
    return (await target.db.query(`SELECT ${COLUMNS} FROM ${table} ORDER BY id`)).rows;
  }

  it("moves exactly the sessions older than the retention, unchanged, and keeps the rest", async () => {
    const before = await snapshot("learning_time_tracking");
    const result = await archiveTimeTracking(target.db, { clock: fixedClock, retentionDays: 365 });
    const [hot, archived] = [
      await snapshot("learning_time_tracking"),
      await snapshot("learning_time_tracking_archive"),
    ];
    expect(result).toEqual({ moved: 4, batches: 1, complete: true });
    expect([...hot, ...archived].sort((a, b) => Number(a.id) - Number(b.id))).toEqual(before);
    expect(hot.map((row) => (NOW - (row.session_start as Date).getTime()) / DAY)).toEqual([10, 200]);
  });

  it("moves in batches of batchSize, each its own transaction", async () => {
    const { db, statements } = countingDatabase(target.db);
    const result = await archiveTimeTracking(db, { clock: fixedClock, batchSize: 3 });
    expect(result).toEqual({ moved: 4, batches: 2, complete: true });
    expect(statements.filter((sql) => sql === ARCHIVE_TIME_TRACKING_BATCH)).toHaveLength(2);
    expect(statements.filter((sql) => sql.startsWith("SET LOCAL lock_timeout"))).toHaveLength(2);
  });

  it("stops after maxBatches, and the next run carries on where it stopped", async () => {
    const first = await archiveTimeTracking(target.db, { clock: fixedClock, batchSize: 1, maxBatches: 3 });
    const second = await archiveTimeTracking(target.db, { clock: fixedClock, batchSize: 1, maxBatches: 10 });
    expect(first).toEqual({ moved: 3, batches: 3, complete: false });
    expect(second).toEqual({ moved: 1, batches: 2, complete: true });
  });

  it("moves each session once when two instances archive together", async () => {
    const other = await target.secondPool(target.db);
    const results = await Promise.all([
      archiveTimeTracking(target.db, { clock: fixedClock, batchSize: 1 }),
      archiveTimeTracking(other, { clock: fixedClock, batchSize: 1 }),
    ]);
    const { rows } = await target.db.query("SELECT count(*) AS n FROM learning_time_tracking_archive");
    expect(results.reduce((sum, r) => sum + r.moved, 0)).toBe(4);
    expect(rows).toEqual([{ n: 4 }]);
  });

  it("deletes a user's archived sessions with the user", async () => {
    await archiveTimeTracking(target.db, { clock: fixedClock });
    await target.db.query("DELETE FROM users WHERE id = $1", [user]);
    const { rows } = await target.db.query("SELECT count(*) AS n FROM learning_time_tracking_archive");
    expect(rows).toEqual([{ n: 0 }]);
  });

  it.each([{ retentionDays: 0 }, { retentionDays: Number.NaN }, { lockTimeoutMs: 0 }, { batchSize: -5 }])(
    "refuses %j before touching the database",
    async (options) => {
      await expect(archiveTimeTracking(target.db, options)).rejects.toMatchObject({
        code: "ERR_KEEL_EDUCATION_CONFIG",
      });
    },
  );

  it("gives up on a batch instead of queueing behind a table lock for long", async () => {
    if (target.db.dialect === "pglite") return; // one connection: nothing else can hold a lock
    const { rows } = await target.db.query<{ schema: string }>("SELECT current_schema() AS schema");
    const holder = createPostgresDatabase({ url: DATABASE_URL, searchPath: rows[0]!.schema, max: 1 });
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const held = holder.transaction(async (tx) => {
      // SHARE conflicts with the ROW EXCLUSIVE lock a DELETE needs, as CREATE INDEX would.
      await tx.query("LOCK TABLE learning_time_tracking IN SHARE MODE");
      locked();
      await released;
    });
    try {
      await isLocked;
      await expect(
        archiveTimeTracking(target.db, { clock: fixedClock, lockTimeoutMs: 50 }),
      ).rejects.toMatchObject({ code: "55P03" });
    } finally {
      release();
      await held;
      await holder.close();
    }
  });
});
