/** Bare Fastify 5 (no response schema, so it serializes with JSON.stringify like the others). */
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { BODY, HOST, type HttpVariant } from "../../src/http/variant.js";

export const variant: HttpVariant = {
  name: "fastify",
  group: "frameworks",
  framework: "fastify",
  baseline: "node:http",
  start: async (port) => {
    const app = Fastify({ logger: false });
    app.get("/", async () => BODY);
    await app.listen({ port, host: HOST });
    return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
  },
};
