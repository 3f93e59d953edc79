import express, { type NextFunction, type Request, type Response } from "express";
import { rateLimitMiddleware } from "../../src/adapters/express.js";
import { callbacks, supertestApp } from "./harness.js";
import { type Framework, runScenarios } from "./scenarios.js";

const framework: Framework = {
  name: "express",
  async start(options) {
    const app = express();
    app.use((req, _res, next) => {
      const user = req.get("x-user");
      if (user !== undefined) (req as Request & { user?: unknown }).user = { id: user };
      next();
    });
    const limit = rateLimitMiddleware({
      ...callbacks<Request>(
        options,
        (req, name) => req.get(name),
        (req) => req.path,
      ),
      ...(options.customHandler
        ? { handler: (_req: Request, res: Response) => void res.status(418).send("slow down") }
        : {}),
    });
    app.use(limit);
    app.get("/ok", (_req, res) => void res.json({ ok: true }));
    app.get("/health", (_req, res) => void res.json({ ok: true }));
    app.get("/fail", (_req, res) => void res.status(500).json({ ok: false }));
    app.use(
      (_error: unknown, _req: Request, res: Response, _next: NextFunction) =>
        void res.status(500).send("error"),
    );
    return supertestApp(app, limit.limiter);
  },
};

runScenarios(framework);
