import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { middleware, type PerfEnv } from "../../src/adapters/hono.js";
import { createMonitor, type RequestRecord } from "../../src/index.js";
import { fakeClock } from "../support/clock.js";
import { twoChunkStream } from "./harness.js";

describe("Hono middleware under @hono/node-server", () => {
  it("takes the metric at the last byte, through the Node response", async () => {
    const clock = fakeClock(0);
    const monitor = createMonitor({ clock });
    const records: RequestRecord[] = [];
    let resolveFinished = () => {};
    const finished = new Promise<void>((resolve) => {
      resolveFinished = resolve;
    });
    const app = new Hono<PerfEnv>();
    app.use(
      middleware({
        monitor,
        observers: [
          (r) => {
            records.push(r);
            resolveFinished();
          },
        ],
      }),
    );
    app.get("/stream/:id", () => new Response(twoChunkStream(clock)));
    const server = createAdaptorServer({ fetch: app.fetch });
    const response = await request(server).get("/stream/42");
    await finished;
    expect(response.text).toBe("ab");
    expect(response.headers["x-response-time"]).toBe("0.000ms");
    expect(records).toEqual([
      expect.objectContaining({
        name: "GET /stream/:id",
        route: "/stream/:id",
        durationMs: 10,
        statusCode: 200,
      }),
    ]);
    expect(monitor.getMetrics("GET /stream/:id")).toMatchObject({
      count: 1,
      total: 10,
      statuses: { "2xx": 1 },
    });
  });
});
