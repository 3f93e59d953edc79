import Fastify from "fastify";
import { middleware } from "../../../src/adapters/fastify.js";
import { type Harness, moduleWork, plainHeaders } from "../harness.js";

export const fastifyHarness: Harness = {
  name: "fastify",
  lastByte: true,
  async start(options, clock) {
    const app = Fastify();
    await app.register(middleware(options));
    await app.register(
      async (education) => {
        education.get<{ Params: { slug: string } }>("/modules/:slug", async (request) =>
          moduleWork(request.perf, clock, request.params.slug),
        );
        education.post("/progress", async (_request, reply) => {
          clock.advance(1);
          return reply.code(201).send({ success: true });
        });
      },
      { prefix: "/api/education" },
    );
    app.get("/boom", async () => {
      throw new Error("boom");
    });
    app.get("/stream", (_request, reply) => {
      reply.hijack();
      reply.raw.statusCode = 200;
      reply.raw.write("a");
      clock.advance(10);
      reply.raw.end("b");
    });
    await app.ready();
    return {
      async request(method, path) {
        const response = await app.inject({ method: method as "GET", url: path });
        return { status: response.statusCode, headers: plainHeaders(response.headers), body: response.body };
      },
      close: () => app.close(),
    };
  },
};
