import { Readable } from "node:stream";
import express, { type NextFunction, type Request, type Response } from "express";
import { cacheMiddleware } from "../../src/adapters/express.js";
import { closeServer, listen, nodeBody, superSend } from "./harness.js";
import { type Framework, runScenarios } from "./scenarios.js";

export const expressFramework: Framework = {
  name: "Express",
  async start(optionsFor, backend) {
    const app = express();
    const options = optionsFor<Request>((req, name) => req.get(name));
    // In HTTP mode the origin's headers are scripted whole: no ETag of Express's own.
    if (options.mode === "http") app.set("etag", false);
    let requests = 0;
    app.use((req, res, next) => {
      res.setHeader("x-request-id", `r${++requests}`);
      const user = req.get("x-user");
      if (user !== undefined) (req as Request & { user?: unknown }).user = { id: user };
      next();
    });
    app.use(cacheMiddleware(options));
    app.use(async (req: Request, res: Response) => {
      const out = await backend.handle({
        method: req.method,
        path: req.path,
        header: (name) => req.get(name),
        user: (req as Request & { user?: { id: string } }).user?.id,
      });
      if (out.throws) throw new Error("handler failed");
      res.status(out.status);
      for (const [name, value] of Object.entries(out.headers)) res.set(name, value as string | string[]);
      if (out.json !== undefined) return void res.json(out.json);
      const body = nodeBody(out);
      if (body instanceof Readable) return void body.pipe(res);
      res.send(body);
    });
    app.use((_error: unknown, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).send("error");
    });
    const server = await listen(app);
    return { send: (req) => superSend(server, req), close: () => closeServer(server) };
  },
};

runScenarios(expressFramework);
