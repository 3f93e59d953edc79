import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { postgresAvailable } from "../../tooling/services.js";
import { runScript } from "./run-script.js";

// The short CI versions of the reliability scripts (the full ones run with `pnpm run test:reliability`).
// Each starts its own redis-server (and, for the app faults, its own PostgreSQL cluster) on free ports
// of 127.0.0.1; the many-instances run creates and drops a database on the shared PostgreSQL.

const has = (command: string, args: string[]) => {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const hasRedisServer = has("redis-server", ["--version"]);
const hasPostgresBinaries = has("sh", ["-c", "ls /usr/lib/postgresql/*/bin/initdb"]);
const hasPostgres = await postgresAvailable();
if (!hasRedisServer && process.env.CI === "true")
  throw new Error("redis-server is not installed: CI requires it");

describe.skipIf(!hasRedisServer)("reliability scripts, short versions", () => {
  it("faults: Redis killed, black-holed and slowed under load; answered, no crash, recovered, counted", async () => {
    const run = await runScript(
      "faults.ts",
      ["--quick", "--only", "kill,blackhole,latency-150ms"],
      "faults-quick",
    );
    expect(run.failed, run.output.slice(-3_000)).toEqual([]);
    expect(run.exit).toBe(0);
  });

  it("soak: no heap growth per request on memory and Redis stores (short run, coarse threshold)", async () => {
    const run = await runScript(
      "soak.ts",
      ["--duration", "6", "--keys", "200", "--max-bytes-per-request", "64"],
      "soak",
    );
    expect(run.failed, run.output.slice(-3_000)).toEqual([]);
    expect(run.exit).toBe(0);
  });

  it.skipIf(!hasPostgres)(
    "instances: global per-user limit, cross-instance invalidation, private progress, merged /metrics",
    async () => {
      const run = await runScript("instances.ts", ["--quick", "--instances", "2"], "instances-quick");
      expect(run.failed, run.output.slice(-3_000)).toEqual([]);
      expect(run.exit).toBe(0);
    },
  );

  it.skipIf(!hasPostgresBinaries)(
    "app faults: Redis and PostgreSQL failures give clean 503s or keep working, and the app recovers",
    async () => {
      const run = await runScript(
        "app-faults.ts",
        ["--quick", "--only", "redis-kill,pg-terminate-in-transaction,pg-pool-exhaustion"],
        "app-faults-quick",
      );
      expect(run.failed, run.output.slice(-3_000)).toEqual([]);
      expect(run.exit).toBe(0);
    },
  );
});
