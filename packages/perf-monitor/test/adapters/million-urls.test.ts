import { describe, expect, it } from "vitest";
import { createMonitor, createRequestTimer, OVERFLOW_METRIC } from "../../src/index.js";
import { fakeClock, memoryLogger } from "../support/clock.js";

const ROUTES = 3000; // more distinct templates than the cap, as a misbehaving router could produce
const REQUESTS = 1_000_000;
const ROUTE = /^\/r(\d+)\/[^/]+$/;

/** A tiny router: `/r17/anything` matches the template `/r17/:id`; other paths match nothing. */
function templateOf(path: string): string | undefined {
  const match = ROUTE.exec(path);
  return match ? `/r${match[1]}/:id` : undefined;
}

describe("a million distinct raw URLs through the middleware core", () => {
  it("stays at the cap plus one overflow series, and no name contains a raw path", () => {
    const logger = memoryLogger();
    const monitor = createMonitor({ clock: fakeClock(0), logger });
    const timer = createRequestTimer({ monitor, logger });
    for (let i = 0; i < REQUESTS; i++) {
      // Every URL is distinct; one in ten matches no route.
      const url = i % 10 === 0 ? `/probe/${i}.php` : `/r${i % ROUTES}/item-${i}-${(i * 2654435761) >>> 0}`;
      const perf = timer.begin();
      timer.finish(perf, { method: "GET", route: templateOf(url), statusCode: i % 10 === 0 ? 404 : 200 });
    }
    const all = monitor.getAllMetrics();
    const names = Object.keys(all);
    expect(monitor.size).toBe(1000 + 1);
    expect(names).toHaveLength(1001);
    expect(names.at(-1)).toBe(OVERFLOW_METRIC);
    for (const name of names) {
      expect(name).toMatch(/^GET \/r\d+\/:id$|^GET \(unmatched\)$|^\(overflow\)$/);
      expect(name).not.toMatch(/item-|probe|\.php/);
    }
    expect(all["GET (unmatched)"]?.count).toBe(REQUESTS / 10);
    const total = Object.values(all).reduce((n, m) => n + m.count, 0);
    expect(total).toBe(REQUESTS);
    expect(logger.warnings).toHaveLength(1);
  }, 60_000); // about 2 s alone; bounded generously for coverage runs on shared cores
});
