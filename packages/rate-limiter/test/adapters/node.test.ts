import { createServer, type IncomingMessage } from "node:http";
import { rateLimitMiddleware } from "../../src/adapters/node.js";
import { callbacks, supertestApp } from "./harness.js";
import { type Framework, runScenarios } from "./scenarios.js";

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
};

const framework: Framework = {
  name: "node:http",
  async start(options) {
    const limit = rateLimitMiddleware({
      ...callbacks<IncomingMessage>(options, header, (req) => (req.url ?? "/").split("?")[0] ?? "/"),
      ...(options.customHandler
        ? {
            handler: (_req: IncomingMessage, res: import("node:http").ServerResponse) =>
              void res.writeHead(418).end("slow down"),
          }
        : {}),
    });
    const server = createServer((req, res) => {
      const user = header(req, "x-user");
      if (user !== undefined) (req as IncomingMessage & { user?: unknown }).user = { id: user };
      limit(req, res, (error?: unknown) => {
        if (error !== undefined) {
          res.writeHead(500).end("error");
          return;
        }
        const failing = req.url === "/fail";
        res
          .writeHead(failing ? 500 : 200, { "content-type": "application/json" })
          .end(JSON.stringify({ ok: !failing }));
      });
    });
    return supertestApp(server, limit.limiter);
  },
};

runScenarios(framework);
