import { Hono } from "hono";
import { middleware, type PerfEnv } from "../../../src/adapters/hono.js";
import { type Harness, moduleWork, plainHeaders, twoChunkStream } from "../harness.js";

export const honoHarness: Harness = {
  name: "hono",
  // app.request() is the Fetch transport: the metric is taken when the handler's Response is ready.
  lastByte: false,
  async start(options, clock) {
    const app = new Hono<PerfEnv>();
    app.use(middleware(options));
    const education = new Hono<PerfEnv>();
    education.get("/modules/:slug", (c) => c.json(moduleWork(c.get("perf"), clock, c.req.param("slug"))));
    education.post("/progress", (c) => {
      clock.advance(1);
      return c.json({ success: true }, 201);
    });
    app.route("/api/education", education);
    app.get("/boom", () => {
      throw new Error("boom");
    });
    app.get("/stream", () => new Response(twoChunkStream(clock), { status: 200 }));
    app.onError((_error, c) => c.json({ success: false }, 500));
    return {
      async request(method, path) {
        const response = await app.request(path, { method });
        const headers: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          headers[name] = value;
        });
        return { status: response.status, headers: plainHeaders(headers), body: await response.text() };
      },
      close: async () => undefined,
    };
  },
};
