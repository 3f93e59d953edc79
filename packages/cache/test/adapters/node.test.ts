import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { cacheMiddleware } from "../../src/adapters/node.js";
import { closeServer, listen, nodeBody, superSend } from "./harness.js";
import { type Framework, runScenarios } from "./scenarios.js";

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
};

export const nodeFramework: Framework = {
  name: "node:http",
  async start(optionsFor, backend) {
    const cache = cacheMiddleware(optionsFor<IncomingMessage>(header));
    let requests = 0;
    const server = await listen(async (req, res) => {
      res.setHeader("x-request-id", `r${++requests}`);
      const user = header(req, "x-user");
      if (user !== undefined) (req as IncomingMessage & { user?: unknown }).user = { id: user };
      try {
        if (!(await cache(req, res))) return;
        const out = await backend.handle({
          method: req.method ?? "GET",
          path: (req.url ?? "/").split("?")[0] as string,
          header: (name) => header(req, name),
          user: user,
        });
        if (out.throws) throw new Error("handler failed");
        const headers: Record<string, string | string[]> = {
          ...(out.headers as Record<string, string | string[]>),
        };
        if (out.json !== undefined) headers["content-type"] = "application/json; charset=utf-8";
        // writeHead with a headers argument, as a proxy would copy its origin's response.
        res.writeHead(out.status, headers);
        const body = nodeBody(out);
        if (body instanceof Readable) body.pipe(res);
        else res.end(body);
      } catch {
        res.statusCode = 500;
        res.end("error");
      }
    });
    return { send: (req) => superSend(server, req), close: () => closeServer(server) };
  },
};

runScenarios(nodeFramework);
