import Fastify, { type FastifyReply, type FastifyRequest } from "fastify";
import { rateLimitMiddleware } from "../../src/adapters/fastify.js";
import { callbacks } from "./harness.js";
import { type Framework, runScenarios } from "./scenarios.js";

const framework: Framework = {
  name: "fastify",
  async start(options) {
    const app = Fastify();
    app.decorateRequest("user", null);
    app.addHook("onRequest", async (request) => {
      const user = request.headers["x-user"];
      if (typeof user === "string") (request as FastifyRequest & { user: unknown }).user = { id: user };
    });
    const plugin = rateLimitMiddleware({
      ...callbacks<FastifyRequest>(
        options,
        (request, name) => {
          const value = request.headers[name];
          return Array.isArray(value) ? value.join(", ") : value;
        },
        (request) => request.url.split("?")[0] ?? "/",
      ),
      ...(options.customHandler
        ? { handler: (_request: FastifyRequest, reply: FastifyReply) => reply.code(418).send("slow down") }
        : {}),
    });
    await app.register(plugin);
    app.get("/ok", async () => ({ ok: true }));
    app.get("/health", async () => ({ ok: true }));
    app.get("/fail", async (_request, reply) => reply.code(500).send({ ok: false }));
    await app.ready();
    return {
      limiter: plugin.limiter,
      async send({ path = "/ok", headers = {} }) {
        const response = await app.inject({ method: "GET", url: path, headers });
        const flat: Record<string, string | undefined> = {};
        for (const [name, value] of Object.entries(response.headers))
          flat[name] = value === undefined ? undefined : String(value);
        return { status: response.statusCode, headers: flat, body: response.body };
      },
      close: () => app.close(),
    };
  },
};

runScenarios(framework);
