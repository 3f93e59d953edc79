// Percentiles across processes: each worker sends its snapshot (plain JSON); merging them gives the
// figures of one monitor that saw every sample, because the histograms add exactly.
import assert from "node:assert/strict";
import { createMonitor, type MonitorSnapshot, toPrometheus } from "@keel/perf-monitor";

// Two workers (in a real cluster, separate processes that post `monitor.snapshot()` to the primary).
const workerA = createMonitor();
const workerB = createMonitor();
for (let i = 1; i <= 900; i++) workerA.record("GET /api/modules", i / 10); // 0.1 ms ... 90 ms
for (let i = 1; i <= 100; i++) workerB.record("GET /api/modules", 100 + i); // 101 ms ... 200 ms

const received: MonitorSnapshot[] = [workerA.snapshot(), workerB.snapshot()];
const merged = createMonitor();
for (const snapshot of received) merged.merge(JSON.parse(JSON.stringify(snapshot)) as MonitorSnapshot);

const all = merged.getMetrics("GET /api/modules");
assert.equal(all?.count, 1000);
assert.equal(all?.max, 200);
// p95 is in worker B's range, which neither worker's own p95 would tell you.
assert.ok(all !== undefined && all.p95 > 140 && all.p95 < 160);

// The primary serves the merged figures to Prometheus.
const text = toPrometheus({ source: merged, process: false });
assert.match(text, /keel_duration_seconds_count\{name="GET \/api\/modules"\} 1000/);
