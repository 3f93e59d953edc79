import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { middleware } from "../../src/adapters/express.js";
import { createMonitor } from "../../src/index.js";

describe("Express middleware", () => {
  it("gives req.perf inside a mounted sub-app, and its timings reach Server-Timing", async () => {
    const app = express();
    app.use(middleware({ monitor: createMonitor() }));
    const admin = express();
    admin.get("/report", (req, res) => {
      req.perf?.record("db", 2.5);
      res.json({ ok: true });
    });
    app.use("/admin", admin);
    const response = await request(app).get("/admin/report");
    expect(response.status).toBe(200);
    expect(response.headers["server-timing"]).toMatch(/^total;dur=[\d.]+, db;dur=2\.5$/);
  });

  it("adds no property to the request or the response", async () => {
    const app = express();
    const added: { req: string[]; res: string[] } = { req: [], res: [] };
    app.use((req, res, next) => {
      const reqBefore = new Set(Reflect.ownKeys(req));
      const resBefore = new Set(Reflect.ownKeys(res));
      middleware({ monitor: createMonitor() })(req, res, (error?: unknown) => {
        added.req = Reflect.ownKeys(req)
          .filter((k) => !reqBefore.has(k))
          .map(String);
        added.res = Reflect.ownKeys(res)
          .filter((k) => !resBefore.has(k))
          .map(String);
        next(error);
      });
    });
    app.get("/", (req, res) => {
      res.json({ hasPerf: typeof req.perf?.start === "function" });
    });
    const response = await request(app).get("/");
    expect(response.body).toEqual({ hasPerf: true });
    expect(added.req).toEqual([]);
    expect(added.res).toEqual([]);
  });

  it("wraps writeHead once on the app's response prototype, however many middlewares and requests", async () => {
    const app = express();
    const monitors = [createMonitor(), createMonitor()];
    for (const monitor of monitors) app.use(middleware({ monitor }));
    app.get("/", (_req, res) => {
      res.json({ ok: true });
    });
    await request(app).get("/");
    const wrapper = Object.getOwnPropertyDescriptor(app.response, "writeHead")?.value as unknown;
    expect(typeof wrapper).toBe("function");
    for (let i = 0; i < 5; i++) {
      const response = await request(app).get("/");
      expect(response.headers["x-response-time"]).toMatch(/^[\d.]+ms$/);
      expect(response.headers["server-timing"]).toMatch(/^total;dur=[\d.]+$/);
    }
    expect(Object.getOwnPropertyDescriptor(app.response, "writeHead")?.value).toBe(wrapper);
    // Both monitors recorded every request under its route.
    for (const monitor of monitors) expect(monitor.getMetrics("GET /")?.count).toBe(6);
  });

  it("still sends the timing headers when the application replaces req.perf", async () => {
    const app = express();
    app.use(middleware({ monitor: createMonitor() }));
    app.get("/", (req, res) => {
      req.perf = { start: () => () => 0, record: () => undefined, elapsed: () => 0 };
      res.json({ ok: true });
    });
    const response = await request(app).get("/");
    expect(response.headers["x-response-time"]).toMatch(/^[\d.]+ms$/);
    expect(response.headers["server-timing"]).toMatch(/^total;dur=[\d.]+$/);
  });

  it("sends the timing headers before a head written with writeHead and headers of its own", async () => {
    const app = express();
    const monitor = createMonitor();
    app.use(middleware({ monitor }));
    app.get("/raw", (_req, res) => {
      res.writeHead(201, { "Content-Type": "text/plain" });
      res.end("made");
    });
    const response = await request(app).get("/raw");
    expect(response.status).toBe(201);
    expect(response.text).toBe("made");
    expect(response.headers["content-type"]).toBe("text/plain");
    expect(response.headers["x-response-time"]).toMatch(/^[\d.]+ms$/);
    expect(monitor.getMetrics("GET /raw")?.count).toBe(1);
  });

  it("keeps a req.perf the application assigns", async () => {
    const app = express();
    app.use(middleware({ monitor: createMonitor() }));
    const own = { start: () => () => 0, record: () => undefined, elapsed: () => 0 };
    app.get("/", (req, res) => {
      req.perf = own;
      res.json({ same: req.perf === own });
    });
    expect((await request(app).get("/")).body).toEqual({ same: true });
  });
});
