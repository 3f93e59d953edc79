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

  it("adds no property to the request and one (the writeHead wrapper) to the response", async () => {
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
    expect(added.res).toEqual(["writeHead"]);
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
