import { Readable } from "node:stream";
import Fastify, { type FastifyRequest } from "fastify";
import { cacheMiddleware } from "../../src/adapters/fastify.js";
import { flatHeaders, nodeBody } from "./harness.js";
import { type Framework, runScenarios } from "./scenarios.js";

type WithUser = FastifyRequest & { user?: { id: string } };

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
};

export const fastifyFramework: Framework = {
  name: "Fastify",
  async start(optionsFor, backend) {
    const app = Fastify();
    let requests = 0;
    app.addHook("onRequest", async (request, reply) => {
      reply.header("x-request-id", `r${++requests}`);
      const user = header(request, "x-user");
      if (user !== undefined) (request as WithUser).user = { id: user };
    });
    await app.register(cacheMiddleware(optionsFor<FastifyRequest>(header)));
    app.route({
      method: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
      url: "/*",
      handler: async (request, reply) => {
        const out = await backend.handle({
          method: request.method,
          path: request.url.split("?")[0] as string,
          header: (name) => header(request, name),
          user: (request as WithUser).user?.id,
        });
        if (out.throws) throw new Error("handler failed");
        reply.code(out.status);
        reply.headers(out.headers as Record<string, string | string[]>);
        if (out.json !== undefined) return out.json;
        const body = nodeBody(out);
        return reply.send(body instanceof Readable ? body : (body ?? ""));
      },
    });
    await app.ready();
    return {
      async send(req) {
        const method = (req.method ?? "GET") as "GET";
        const res = await app.inject({ method, url: req.path, headers: req.headers ?? {} });
        return { status: res.statusCode, headers: flatHeaders(res.headers), body: res.body };
      },
      close: () => app.close(),
    };
  },
};

runScenarios(fastifyFramework);
