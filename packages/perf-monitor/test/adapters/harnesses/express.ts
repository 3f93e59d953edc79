import express, { type NextFunction, type Request, type Response } from "express";
import request from "supertest";
import { middleware } from "../../../src/adapters/express.js";
import { type Harness, moduleWork, plainHeaders } from "../harness.js";

export const expressHarness: Harness = {
  name: "express",
  lastByte: true,
  async start(options, clock) {
    const app = express();
    app.use(middleware(options));
    const education = express.Router();
    education.get("/modules/:slug", (req, res) => {
      res.json(moduleWork(req.perf, clock, req.params.slug));
    });
    education.post("/progress", (_req, res) => {
      clock.advance(1);
      res.status(201).json({ success: true });
    });
    app.use("/api/education", education);
    app.get("/boom", () => {
      throw new Error("boom");
    });
    app.get("/stream", (_req, res) => {
      res.write("a");
      clock.advance(10);
      res.end("b");
    });
    app.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ success: false });
    });
    return {
      async request(method, path) {
        const response = await request(app)[method.toLowerCase() as "get"](path);
        return { status: response.status, headers: plainHeaders(response.headers), body: response.text };
      },
      close: async () => undefined,
    };
  },
};
