import cluster, { type Worker } from "node:cluster";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createMonitor, type MonitorSnapshot } from "../src/index.js";
import { NAMES, recordShare } from "./cluster/workload.js";

const WORKERS = 4;
const root = fileURLToPath(new URL("../../..", import.meta.url));

/** Forks the workers, collects one snapshot from each, and waits for every exit. */
async function collectSnapshots(): Promise<MonitorSnapshot[]> {
  cluster.setupPrimary({
    exec: fileURLToPath(new URL("./cluster/worker.ts", import.meta.url)),
    execArgv: ["--import", "tsx", "--conditions=@keel/source"], // resolved from the workspace root, where tsx is installed
    cwd: root,
  });
  const workers: Worker[] = [];
  const snapshots = Array.from({ length: WORKERS }, (_, shard) => {
    const worker = cluster.fork({ KEEL_SHARD: String(shard), KEEL_SHARDS: String(WORKERS) });
    workers.push(worker);
    return new Promise<MonitorSnapshot>((resolve, reject) => {
      worker.once("message", (message: { shard: number; snapshot: MonitorSnapshot }) => {
        expect(message.shard).toBe(shard);
        resolve(message.snapshot);
      });
      worker.once("exit", (code) =>
        reject(new Error(`worker ${shard} exited with ${code} before reporting`)),
      );
      worker.once("error", reject);
    });
  });
  const exits = workers.map((w) => new Promise((resolve) => w.once("exit", resolve)));
  try {
    return await Promise.all(snapshots);
  } finally {
    for (const w of workers) if (!w.isDead()) w.kill();
    await Promise.all(exits);
  }
}

describe("node:cluster", () => {
  it("merges worker snapshots into exactly the percentiles of one process given every sample", async () => {
    const snapshots = await collectSnapshots();
    const merged = createMonitor();
    for (const snapshot of snapshots) merged.merge(snapshot);

    const single = createMonitor();
    recordShare(single, 0, 1);

    expect(merged.size).toBe(NAMES.length);
    for (const name of NAMES) {
      const got = merged.getMetrics(name);
      const want = single.getMetrics(name);
      expect(got?.count).toBeGreaterThan(10_000);
      // count, min, max, errors, status classes and every percentile are identical: merging is exact.
      const { total: gotTotal = 0, avg: _a, ...gotRest } = got ?? {};
      const { total: wantTotal = 0, avg: _b, ...wantRest } = want ?? {};
      expect(gotRest).toEqual(wantRest);
      // Float64 sums depend on addition order: equal up to rounding.
      expect(Math.abs(gotTotal - wantTotal)).toBeLessThanOrEqual(1e-9 * wantTotal);
    }
    const strip = (s: MonitorSnapshot) => s.metrics.map(({ total: _, ...rest }) => rest);
    expect(strip(merged.snapshot())).toEqual(strip(single.snapshot()));
  }, 60_000);
});
