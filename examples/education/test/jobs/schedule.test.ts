import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import { scheduleJobs } from "../../src/jobs/schedule.js";
import { openPglite } from "../support/databases.js";
import { countingDatabase } from "../support/fixtures.js";

describe("scheduleJobs", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
  });
  afterAll(() => db?.close());

  it("runs the token cleanup and the archive on their intervals until stopped", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      const counted = countingDatabase(db);
      const stop = scheduleJobs(counted.db, { cleanupMs: 1000, archiveMs: 5000 });
      expect(vi.getTimerCount()).toBe(2);
      await vi.advanceTimersByTimeAsync(1000);
      await vi.waitFor(() => expect(counted.statements.length).toBeGreaterThanOrEqual(2));
      const cleanup = counted.statements.filter((sql) =>
        /DELETE FROM (refresh_tokens|token_blacklist)/.test(sql),
      );
      expect(cleanup).toHaveLength(2); // one empty batch per table
      expect(counted.statements.some((sql) => /learning_time_tracking_archive/.test(sql))).toBe(false);
      await vi.advanceTimersByTimeAsync(4000);
      await vi.waitFor(() =>
        expect(counted.statements.some((sql) => /learning_time_tracking_archive/.test(sql))).toBe(true),
      );
      stop();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("reports a failed run and tries again at the next tick", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const failures: string[] = [];
    const broken: Database = { ...db, query: () => Promise.reject(new Error("down")) };
    try {
      const stop = scheduleJobs(broken, { cleanupMs: 1000, archiveMs: 1_000_000 }, (message) =>
        failures.push(message),
      );
      await vi.advanceTimersByTimeAsync(1000);
      await vi.waitFor(() => expect(failures).toHaveLength(1));
      await vi.advanceTimersByTimeAsync(1000);
      await vi.waitFor(() => expect(failures).toHaveLength(2));
      expect(failures[0]).toMatch(/token cleanup failed/);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
