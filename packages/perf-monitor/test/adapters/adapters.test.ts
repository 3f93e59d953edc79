import { describe, expect, it } from "vitest";
import { createMonitor, type RequestRecord } from "../../src/index.js";
import { fakeClock, memoryLogger } from "../support/clock.js";
import type { Harness, TestResponse } from "./harness.js";
import { expressHarness } from "./harnesses/express.js";
import { fastifyHarness } from "./harnesses/fastify.js";
import { honoHarness } from "./harnesses/hono.js";
import { koaHarness } from "./harnesses/koa.js";
import { nodeHarness } from "./harnesses/node.js";
import { requestCount, scenarios } from "./scenarios.js";

const harnesses: readonly Harness[] = [expressHarness, fastifyHarness, honoHarness, koaHarness, nodeHarness];

/** Waits, a bounded number of event-loop turns, until the middleware has recorded `n` requests. */
async function settle(count: () => number, n: number): Promise<void> {
  for (let turn = 0; turn < 200 && count() < n; turn++) await new Promise((resolve) => setImmediate(resolve));
  expect(count()).toBe(n);
}

describe.each(harnesses)("middleware on $name", (harness) => {
  it.each(scenarios)("$name", async (scenario) => {
    const clock = fakeClock(0);
    const monitor = createMonitor({ clock });
    const logger = memoryLogger();
    const records: RequestRecord[] = [];
    const observers =
      scenario.observer === "collect"
        ? [(r: RequestRecord) => void records.push(r)]
        : scenario.observer === "throw"
          ? [
              () => {
                throw new Error("observer failure");
              },
            ]
          : [];
    const app = await harness.start({ ...scenario.options, monitor, logger, observers }, clock);
    try {
      const responses: TestResponse[] = [];
      for (const [method, path] of scenario.requests) {
        responses.push(await app.request(method, path));
        await settle(() => requestCount(monitor), responses.length);
      }
      scenario.check({ harness, monitor, responses, records, warnings: logger.warnings });
    } finally {
      await app.close();
    }
  });
});
