// Framework-specific cases the shared table cannot express.

import { get } from "node:http";
import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import { Hono } from "hono";
import Koa from "koa";
import { afterEach, describe, expect, it } from "vitest";
import { cacheMiddleware as fastifyCache } from "../../src/adapters/fastify.js";
import { cacheMiddleware as honoCache } from "../../src/adapters/hono.js";
import { cacheMiddleware as koaCache } from "../../src/adapters/koa.js";
import { createCache } from "../../src/cache.js";
import { closeServer, listen, superSend } from "./harness.js";

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe("Fastify", () => {
  it("exposes its cache, and releases the waiters of a client that went away", async () => {
    const cache = createCache();
    const plugin = fastifyCache({ ttl: 60, cache });
    expect(plugin.cache).toBe(cache);
    const app = Fastify();
    await app.register(plugin);
    let runs = 0;
    let leave: (() => void) | undefined;
    app.get("/slow", async () => {
      runs++;
      if (runs === 1) await new Promise<void>((resolve) => leave?.() ?? resolve());
      return { runs };
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    closers.push(() => app.close());
    const { port } = app.server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      const req = get({ port, path: "/slow", host: "127.0.0.1" });
      req.on("error", () => {});
      leave = () => {
        req.destroy();
        resolve();
      };
    });
    // With the default 5 s wait, this would hang if the aborted leader still held the key.
    const next = await app.inject({ url: "/slow" });
    expect([next.json(), next.headers["x-cache"]]).toEqual([{ runs: 2 }, "MISS"]);
  });

  it("stores a miss as it leaves, after the app's own onSend hooks, and adds no onSend hook itself", async () => {
    const app = Fastify();
    await app.register(fastifyCache({ ttl: 60, cache: createCache() }));
    // An app hook that rewrites payloads, registered after the cache, as compression would be.
    app.addHook("onSend", async function rewrite(_request, reply, payload) {
      if (reply.getHeader("x-cache") === "HIT") return payload; // idempotent, like compression
      reply.header("x-rewritten", "yes");
      return typeof payload === "string" ? payload.toUpperCase() : payload;
    });
    let runs = 0;
    app.get("/text", async () => `run ${++runs}`);
    closers.push(() => app.close());
    const miss = await app.inject({ url: "/text" });
    const hit = await app.inject({ url: "/text" });
    expect([miss.body, miss.headers["x-rewritten"], miss.headers["x-cache"]]).toEqual([
      "RUN 1",
      "yes",
      "MISS",
    ]);
    expect([hit.body, hit.headers["x-rewritten"], hit.headers["x-cache"], runs]).toEqual([
      "RUN 1",
      "yes",
      "HIT",
      1,
    ]);
    // The app's hook is the route's only onSend hook: replies the cache does not touch pay nothing.
    expect(app.printRoutes({ includeHooks: true })).toContain('(onSend) ["rewrite()"]');
  });

  it("caches a Fetch Response payload like any other, and streams bigger ones through", async () => {
    // The response is taken where Fastify writes it, so whatever Fastify makes of a payload counts.
    const app = Fastify();
    await app.register(fastifyCache({ ttl: 60, cache: createCache(), maxBodySize: 16 }));
    let runs = 0;
    app.get("/response", async () => new Response(`from fetch ${++runs}`));
    app.get("/long", async () => "longer than sixteen bytes");
    closers.push(() => app.close());
    const first = await app.inject({ url: "/response" });
    const second = await app.inject({ url: "/response" });
    expect([first.body, first.headers["x-cache"], second.body, second.headers["x-cache"]]).toEqual([
      "from fetch 1",
      "MISS",
      "from fetch 1",
      "HIT",
    ]);
    const long = await app.inject({ url: "/long" });
    expect([long.body, long.headers["cache-status"]]).toEqual([
      "longer than sixteen bytes",
      "keel; fwd=uri-miss; fwd-status=200; detail=too-large",
    ]);
    expect((await app.inject({ url: "/long" })).headers["x-cache"]).toBe("MISS");
  });
});

describe("Koa", () => {
  it("keeps Koa's own answer when no body was set, and leaves a Blob body alone", async () => {
    const app = new Koa();
    app.use(koaCache({ ttl: 60, cache: createCache() }));
    app.use(async (ctx) => {
      if (ctx.path === "/blob") ctx.body = new Blob(["blob body"]);
    });
    const server = await listen(app.callback());
    closers.push(() => closeServer(server));
    const missing = await superSend(server, { path: "/nothing" });
    expect([missing.status, missing.body, missing.headers["x-cache"]]).toEqual([404, "Not Found", "MISS"]);
    const blob = await superSend(server, { path: "/blob" });
    expect([blob.body, blob.headers["cache-status"]]).toEqual([
      "blob body",
      "keel; fwd=uri-miss; fwd-status=200; detail=streaming",
    ]);
  });
});

describe("Hono", () => {
  it("streams a body bigger than maxBodySize through whole, and stops reading when the client cancels", async () => {
    const app = new Hono();
    app.use(honoCache({ ttl: 60, cache: createCache(), maxBodySize: 4 }));
    app.get("/long", (c) => c.body(new Blob(["abc", "defgh", "ijk"]).stream()));
    const whole = await app.request("/long");
    expect([await whole.text(), whole.headers.get("x-cache")]).toEqual(["abcdefghijk", "MISS"]);
    const cancelled = await app.request("/long");
    await cancelled.body?.cancel();
    expect(cancelled.headers.get("cache-status")).toMatch(/detail=too-large/);
  });
});
