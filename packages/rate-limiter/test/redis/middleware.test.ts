import { createServer } from "node:http";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import Koa from "koa";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import { rateLimitMiddleware as expressLimit } from "../../src/adapters/express.js";
import { rateLimitMiddleware as fastifyLimit } from "../../src/adapters/fastify.js";
import { rateLimitMiddleware as honoLimit } from "../../src/adapters/hono.js";
import { rateLimitMiddleware as koaLimit } from "../../src/adapters/koa.js";
import { rateLimitMiddleware as nodeLimit } from "../../src/adapters/node.js";
import type { RateLimiter } from "../../src/rate-limiter.js";
import { redisStore } from "../../src/stores/redis.js";
import type { RateLimitStore } from "../../src/types.js";
import { connectClient, type TestClient } from "./clients.js";

// Going multi-instance: two app instances of each framework, one on ioredis and one on node-redis,
// each with its own limiter and store, share one limit through Redis. Requests alternate between them.

const hasRedis = await redisAvailable();

interface Instance {
  get(): Promise<{ status: number; retryAfter: string | undefined; body: string }>;
  readonly limiter: RateLimiter;
  close(): Promise<void>;
}

/** The limiter options every instance uses: 3 per minute, one shared key. */
function limits(store: RateLimitStore, key: string) {
  return { store, limit: 3, window: 60, keyGenerator: () => key };
}

type Start = (store: RateLimitStore, key: string) => Promise<Instance>;

const frameworks: Record<string, Start> = {
  async express(store, key) {
    const limit = expressLimit(limits(store, key));
    const app = express()
      .use(limit)
      .get("/", (_req, res) => void res.json({ ok: true }));
    return {
      limiter: limit.limiter,
      async get() {
        const response = await request(app).get("/");
        return { status: response.status, retryAfter: response.headers["retry-after"], body: response.text };
      },
      close: async () => undefined,
    };
  },
  async fastify(store, key) {
    const app = Fastify();
    const plugin = fastifyLimit(limits(store, key));
    await app.register(plugin);
    app.get("/", async () => ({ ok: true }));
    await app.ready();
    return {
      limiter: plugin.limiter,
      async get() {
        const response = await app.inject({ method: "GET", url: "/" });
        const retryAfter = response.headers["retry-after"];
        return { status: response.statusCode, retryAfter: retryAfter?.toString(), body: response.body };
      },
      close: () => app.close(),
    };
  },
  async hono(store, key) {
    const limit = honoLimit(limits(store, key));
    const app = new Hono().use(limit).get("/", (c) => c.json({ ok: true }));
    const env = { incoming: { socket: { remoteAddress: "127.0.0.1" } } };
    return {
      limiter: limit.limiter,
      async get() {
        const response = await app.request("/", {}, env);
        return {
          status: response.status,
          retryAfter: response.headers.get("retry-after") ?? undefined,
          body: await response.text(),
        };
      },
      close: async () => undefined,
    };
  },
  async koa(store, key) {
    const limit = koaLimit(limits(store, key));
    const app = new Koa().use(limit).use((ctx) => {
      ctx.body = { ok: true };
    });
    const handler = app.callback();
    return {
      limiter: limit.limiter,
      async get() {
        const response = await request(handler).get("/");
        return { status: response.status, retryAfter: response.headers["retry-after"], body: response.text };
      },
      close: async () => undefined,
    };
  },
  async "node:http"(store, key) {
    const limit = nodeLimit(limits(store, key));
    const server = createServer((req, res) => {
      limit(
        req,
        res,
        () => void res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'),
      );
    });
    return {
      limiter: limit.limiter,
      async get() {
        const response = await request(server).get("/");
        return { status: response.status, retryAfter: response.headers["retry-after"], body: response.text };
      },
      close: async () => undefined,
    };
  },
};

describe.skipIf(!hasRedis)("rate-limit middleware on Redis, two instances per framework", () => {
  const prefix = uniquePrefix("rl-middleware");
  let io: TestClient;
  let node: TestClient;

  beforeAll(async () => {
    io = await connectClient("ioredis", REDIS_URL);
    node = await connectClient("node-redis", REDIS_URL);
  });
  afterAll(async () => {
    const keys = (await io.command(["KEYS", `${prefix}*`])) as string[];
    if (keys.length > 0) await io.command(["DEL", ...keys]);
    await io.close();
    await node.close();
  });

  it.each(Object.keys(frameworks))(
    "%s: both instances together admit 3 and refuse the rest with 429",
    async (name) => {
      const start = frameworks[name] as Start;
      const key = `client-${name}`;
      const a = await start(redisStore({ client: io.client, prefix }), key);
      const b = await start(redisStore({ client: node.client, prefix }), key);
      try {
        const responses = [];
        for (const instance of [a, b, a, b, a, b]) responses.push(await instance.get());
        expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429, 429, 429]);
        for (const refused of responses.slice(3)) {
          expect(Number(refused.retryAfter)).toBeGreaterThan(0);
          expect(JSON.parse(refused.body)).toMatchObject({ retryAfter: Number(refused.retryAfter) });
        }
        expect(a.limiter.stats().storeErrors + b.limiter.stats().storeErrors).toBe(0);
      } finally {
        await a.close();
        await b.close();
        await a.limiter.close();
        await b.limiter.close();
      }
    },
  );
});
