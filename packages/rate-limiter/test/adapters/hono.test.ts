import { type Context, Hono } from "hono";
import { rateLimitMiddleware } from "../../src/adapters/hono.js";
import { callbacks } from "./harness.js";
import { type Framework, runScenarios } from "./scenarios.js";

const framework: Framework = {
  name: "hono",
  async start(options) {
    const app = new Hono();
    app.use(async (c, next) => {
      const user = c.req.header("x-user");
      if (user !== undefined) c.set("user" as never, { id: user } as never);
      await next();
    });
    const limit = rateLimitMiddleware({
      ...callbacks<Context>(
        options,
        (c, name) => c.req.header(name),
        (c) => c.req.path,
      ),
      ...(options.customHandler ? { handler: (c: Context) => c.text("slow down", 418) } : {}),
    });
    app.use(limit);
    app.get("/ok", (c) => c.json({ ok: true }));
    app.get("/health", (c) => c.json({ ok: true }));
    app.get("/fail", (c) => c.json({ ok: false }, 500));
    app.onError((_error, c) => c.text("error", 500));
    // what @hono/node-server puts on c.env: the Node request, with its socket
    const env = { incoming: { socket: { remoteAddress: "127.0.0.1" } } };
    return {
      limiter: limit.limiter,
      async send({ path = "/ok", headers = {} }) {
        const response = await app.request(path, { headers }, env);
        const flat: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          flat[name] = value;
        });
        return { status: response.status, headers: flat, body: await response.text() };
      },
      close: async () => undefined,
    };
  },
};

runScenarios(framework);
