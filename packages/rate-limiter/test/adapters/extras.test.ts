// What one adapter does beyond the shared scenario table.
import { createServer } from "node:http";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { rateLimitMiddleware as expressLimit } from "../../src/adapters/express.js";
import { rateLimitMiddleware as fastifyLimit, rateLimitPlugin } from "../../src/adapters/fastify.js";
import { rateLimitMiddleware as honoLimit } from "../../src/adapters/hono.js";
import { rateLimitMiddleware as nodeLimit } from "../../src/adapters/node.js";
import { manualClock } from "../../src/testing/manual-clock.js";

describe("adapters", () => {
  it("express: leaves the decision on req.rateLimit", async () => {
    const app = express();
    app.use(expressLimit({ limit: 5, window: 60 }));
    app.get("/", (req, res) => void res.json({ remaining: req.rateLimit?.remaining }));
    expect((await request(app).get("/")).body).toEqual({ remaining: 4 });
  });

  it("fastify: registers with options, decorates the request, and closes its limiter with the app", async () => {
    const app = Fastify();
    await app.register(rateLimitPlugin, { limit: 5, window: 60 });
    app.get("/", async (req) => ({ remaining: req.rateLimit?.remaining }));
    expect((await app.inject({ url: "/" })).json()).toEqual({ remaining: 4 });
    await app.close();
  });

  it("fastify: limits only the routes of the instance it is registered on, and its children", async () => {
    const app = Fastify();
    await app.register(async (api) => {
      await api.register(fastifyLimit({ limit: 1, window: 60 }));
      api.get("/api", async () => "limited");
    });
    app.get("/open", async () => "open");
    await app.inject({ url: "/api" });
    expect((await app.inject({ url: "/api" })).statusCode).toBe(429);
    expect((await app.inject({ url: "/open" })).statusCode).toBe(200);
    await app.close();
  });

  it("hono: reads the client address with getRemoteAddress, or from Bun's requestIP", async () => {
    const byOption = new Hono();
    byOption.use(honoLimit({ limit: 1, window: 60, getRemoteAddress: (c) => c.req.header("x-test-ip") }));
    byOption.get("/", (c) => c.text("ok"));
    expect((await byOption.request("/", { headers: { "x-test-ip": "192.0.2.1" } })).status).toBe(200);
    expect((await byOption.request("/", { headers: { "x-test-ip": "192.0.2.2" } })).status).toBe(200);
    expect((await byOption.request("/", { headers: { "x-test-ip": "192.0.2.1" } })).status).toBe(429);

    const onBun = new Hono();
    onBun.use(honoLimit({ limit: 1, window: 60 }));
    onBun.get("/", (c) =>
      c.json({ remaining: (c.get("rateLimit" as never) as { remaining: number }).remaining }),
    );
    const bun = (address: string) => ({ requestIP: () => ({ address }) });
    expect(await (await onBun.request("/", {}, bun("192.0.2.1"))).json()).toEqual({ remaining: 0 });
    expect((await onBun.request("/", {}, bun("192.0.2.2"))).status).toBe(200);
  });

  it("hono: adds the headers to a handler's own response", async () => {
    const app = new Hono();
    app.use(honoLimit({ limit: 1, window: 60, clock: manualClock(), handler: (c) => c.text("later", 503) }));
    app.get("/", (c) => c.text("ok"));
    await app.request("/");
    const refused = await app.request("/");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("60");
    expect(await refused.text()).toBe("later");
  });

  it("node: resolves whether the request may proceed, and rejects errors when there is no next", async () => {
    const limit = nodeLimit({ limit: 1, window: 60 });
    const outcomes: boolean[] = [];
    const server = createServer(async (req, res) => {
      const proceed = await limit(req, res);
      outcomes.push(proceed);
      if (proceed) res.end("ok");
    });
    await request(server).get("/");
    expect((await request(server).get("/")).status).toBe(429);
    expect(outcomes).toEqual([true, false]);

    const failing = nodeLimit({
      limit: 1,
      window: 60,
      keyGenerator: () => Promise.reject(new Error("no key")),
    });
    const errors: unknown[] = [];
    const broken = createServer((req, res) => {
      failing(req, res).catch((error: unknown) => {
        errors.push(error);
        res.writeHead(500).end();
      });
    });
    expect((await request(broken).get("/")).status).toBe(500);
    expect(errors).toEqual([new Error("no key")]);
  });
});
