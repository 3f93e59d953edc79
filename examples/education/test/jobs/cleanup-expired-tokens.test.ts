import { beforeEach, expect, it } from "vitest";
import {
  cleanupExpiredTokens,
  DELETE_EXPIRED_BLACKLIST_ENTRIES,
  DELETE_EXPIRED_REFRESH_TOKENS,
} from "../../src/jobs/cleanup-expired-tokens.js";
import { describeOnEachDatabase } from "../support/databases.js";
import { countingDatabase, fixedClock, insertUser, NOW } from "../support/fixtures.js";

describeOnEachDatabase("cleanupExpiredTokens", (target) => {
  // Five expired and three live of each kind; one expires exactly "now" and is kept (< now).
  beforeEach(async () => {
    const db = target.db;
    await db.query("TRUNCATE refresh_tokens, token_blacklist");
    const user = await insertUser(db);
    const expiries = [-5, -4, -3, -2, -1, 0, 1, 2].map((hours) => new Date(NOW + hours * 3_600_000));
    await db.query(
      `INSERT INTO refresh_tokens (user_id, token_hash, expires_at)
       SELECT $1, md5(random()::text), e FROM unnest($2::timestamptz[]) AS e`,
      [user, expiries],
    );
    await db.query(
      "INSERT INTO token_blacklist (jti, expires_at) SELECT md5(random()::text), e FROM unnest($1::timestamptz[]) AS e",
      [expiries],
    );
  });

  it("deletes what expired before now and keeps the rest", async () => {
    const result = await cleanupExpiredTokens(target.db, { clock: fixedClock });
    const { rows } = await target.db.query<{ tokens: number; entries: number; expired: number }>(
      `SELECT (SELECT count(*) FROM refresh_tokens) AS tokens, (SELECT count(*) FROM token_blacklist) AS entries,
              (SELECT count(*) FROM refresh_tokens WHERE expires_at < $1) +
              (SELECT count(*) FROM token_blacklist WHERE expires_at < $1) AS expired`,
      [new Date(NOW)],
    );
    expect(result).toEqual({ refreshTokens: 5, blacklistEntries: 5, complete: true });
    expect(rows).toEqual([{ tokens: 3, entries: 3, expired: 0 }]);
  });

  it("works in batches of batchSize, one statement each", async () => {
    const { db, statements } = countingDatabase(target.db);
    await cleanupExpiredTokens(db, { clock: fixedClock, batchSize: 2 });
    // 2 + 2 + 1 for each table: the short batch tells it the table is done.
    expect(statements).toEqual([
      ...Array(3).fill(DELETE_EXPIRED_REFRESH_TOKENS),
      ...Array(3).fill(DELETE_EXPIRED_BLACKLIST_ENTRIES),
    ]);
  });

  it("stops after maxBatches and says it is not complete; the next run finishes", async () => {
    const first = await cleanupExpiredTokens(target.db, { clock: fixedClock, batchSize: 2, maxBatches: 1 });
    const second = await cleanupExpiredTokens(target.db, { clock: fixedClock, batchSize: 2, maxBatches: 10 });
    expect(first).toEqual({ refreshTokens: 2, blacklistEntries: 2, complete: false });
    expect(second).toEqual({ refreshTokens: 3, blacklistEntries: 3, complete: true });
  });

  it("deletes each row once when two instances run it together", async () => {
    const other = await target.secondPool(target.db);
    const results = await Promise.all([
      cleanupExpiredTokens(target.db, { clock: fixedClock, batchSize: 1 }),
      cleanupExpiredTokens(other, { clock: fixedClock, batchSize: 1 }),
    ]);
    expect(results.reduce((sum, r) => sum + r.refreshTokens + r.blacklistEntries, 0)).toBe(10);
  });

  it.each([{ batchSize: 0 }, { batchSize: 1.5 }, { maxBatches: -1 }, { batchSize: 1_000_000 }])(
    "refuses %j before touching the database",
    async (options) => {
      await expect(cleanupExpiredTokens(target.db, options)).rejects.toMatchObject({
        code: "ERR_KEEL_EDUCATION_CONFIG",
      });
    },
  );
});
