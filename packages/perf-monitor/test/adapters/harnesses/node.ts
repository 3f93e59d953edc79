import { createServer, type ServerResponse } from "node:http";
import request from "supertest";
import { middleware, type PerfRequest } from "../../../src/adapters/node.js";
import { type Harness, moduleWork, plainHeaders, type ScenarioClock } from "../harness.js";

const MODULE = /^\/api\/education\/modules\/([^/?]+)$/;

function pathOf(req: PerfRequest): string {
  return (req.url ?? "/").split("?")[0] as string;
}

/** A hand-written router, as a plain node:http app would have. */
function route(req: PerfRequest): string | undefined {
  const path = pathOf(req);
  if (req.method === "GET" && MODULE.test(path)) return "/api/education/modules/:slug";
  if (req.method === "POST" && path === "/api/education/progress") return "/api/education/progress";
  if (req.method === "GET" && (path === "/boom" || path === "/stream")) return path;
  return undefined;
}

function handle(req: PerfRequest, res: ServerResponse, clock: ScenarioClock): void {
  const path = pathOf(req);
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  };
  try {
    const slug = MODULE.exec(path)?.[1];
    if (req.method === "GET" && slug !== undefined) {
      json(200, moduleWork(req.perf, clock, slug));
      return;
    }
    if (req.method === "POST" && path === "/api/education/progress") {
      clock.advance(1);
      json(201, { success: true });
      return;
    }
    if (req.method === "GET" && path === "/boom") throw new Error("boom");
    if (req.method === "GET" && path === "/stream") {
      res.write("a");
      clock.advance(10);
      res.end("b");
      return;
    }
    json(404, { success: false });
  } catch {
    json(500, { success: false });
  }
}

export const nodeHarness: Harness = {
  name: "node",
  lastByte: true,
  async start(options, clock) {
    const timing = middleware({ ...options, route });
    const server = createServer((req, res) => timing(req, res, () => handle(req, res, clock)));
    return {
      async request(method, path) {
        const response = await request(server)[method.toLowerCase() as "get"](path);
        return { status: response.status, headers: plainHeaders(response.headers), body: response.text };
      },
      close: async () => undefined,
    };
  },
};
