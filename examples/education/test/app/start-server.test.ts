import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../../src/app/start-server.js";
import { appConfigFromEnv } from "../../src/config.js";
import type { Database } from "../../src/db/database.js";
import { borrowed, CHEAP_SCRYPT } from "../support/app.js";
import { openPglite } from "../support/databases.js";

describe("startServer", () => {
  let db: Database;
  let running: RunningServer;
  beforeAll(async () => {
    db = await openPglite();
    const config = appConfigFromEnv({ PORT: "0", JOBS: "off" });
    running = await startServer(config, { db: borrowed(db), scryptCost: CHEAP_SCRYPT });
  });
  afterAll(async () => {
    await running?.close();
    await db?.close();
  });

  it("migrates and seeds an empty database on first start, then serves on the port it reports", async () => {
    expect(running.startup.seeded).toBe(true);
    expect(running.startup.migrationsApplied).toBeGreaterThan(5);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${running.url}/api/education/modules`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(4);
  });

  it("says clearly when the port is taken, and releases what it opened", async () => {
    const { port } = running.server.address() as AddressInfo;
    const config = appConfigFromEnv({ PORT: String(port), JOBS: "off" });
    await expect(startServer(config, { db: borrowed(db), scryptCost: CHEAP_SCRYPT })).rejects.toThrow(
      `port ${port} on 127.0.0.1 is already in use`,
    );
  });

  it("stops accepting connections when closed, and closing twice is harmless", async () => {
    const other = await startServer(appConfigFromEnv({ PORT: "0", JOBS: "off" }), { db: borrowed(db) });
    expect(other.startup).toEqual({ migrationsApplied: 0, seeded: false });
    await Promise.all([other.close(), other.close()]);
    expect(other.server.listening).toBe(false);
    await expect(fetch(`${other.url}/health`)).rejects.toThrow();
  });
});
