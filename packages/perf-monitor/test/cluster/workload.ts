import type { Monitor } from "../../src/index.js";
import { seeded } from "../support/distributions.js";

/** The names and samples every process derives from one seed, so shares are reproducible. */
export const NAMES = ["GET /api/education/modules/:slug", "POST /api/progress", "db.query"] as const;
export const SAMPLES = 60_000;

/** Records the samples whose index falls in `shard` of `shards` (all of them for one shard). */
export function recordShare(perf: Monitor, shard: number, shards: number): void {
  const random = seeded(2024);
  const handles = NAMES.map((name) => perf.metric(name));
  for (let i = 0; i < SAMPLES; i++) {
    // Every draw happens in every process, so sample i is the same everywhere.
    const pick = Math.floor(random() * NAMES.length);
    const ms = Math.exp(random() * 14 - 6); // 2.5 µs to 3 minutes, log-uniform
    const status = random() < 0.05 ? 503 : 200;
    if (i % shards !== shard) continue;
    const handle = handles[pick];
    if (handle === undefined) continue;
    if (status >= 500) handle.recordError(ms);
    else handle.record(ms);
    if (pick < 2) handle.countStatus(status);
  }
}
