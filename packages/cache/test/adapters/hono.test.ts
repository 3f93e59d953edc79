import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import { describe, expect, it } from "vitest";
import { cacheMiddleware } from "../../src/adapters/hono.js";
import { closeServer, flatHeaders, superSend } from "./harness.js";
import { type Framework, runScenarios } from "./scenarios.js";

type Env = { Variables: { user: { id: string } } };

const header = (c: Context, name: string): string | undefined => c.req.header(name);

function streamOf(chunks: readonly string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(encoder.encode(chunks[i++]));
      else controller.close();
    },
  });
}

/** Hono answering `app.request` (Fetch), or served by @hono/node-server (`c.env.incoming`). */
const honoFramework = (nodeServer: boolean): Framework => ({
  name: nodeServer ? "Hono on @hono/node-server" : "Hono",
  async start(optionsFor, backend) {
    const app = new Hono<Env>();
    let requests = 0;
    app.use(async (c, next) => {
      c.header("x-request-id", `r${++requests}`);
      const user = c.req.header("x-user");
      if (user !== undefined) c.set("user", { id: user });
      await next();
    });
    app.use(cacheMiddleware(optionsFor<Context>(header)));
    app.all("*", async (c) => {
      const out = await backend.handle({
        method: c.req.method,
        path: c.req.path,
        header: (name) => c.req.header(name),
        user: c.get("user")?.id,
      });
      if (out.throws) throw new Error("handler failed");
      for (const [name, value] of Object.entries(out.headers)) {
        if (typeof value === "string") c.header(name, value);
        else for (const item of value) c.header(name, item, { append: true });
      }
      const status = out.status as 200;
      if (out.json !== undefined) return c.json(out.json, status);
      if (status === (304 as number) || status === (204 as number)) return c.body(null, status);
      if (out.text !== undefined) return c.body(out.text, status);
      if (out.buffer !== undefined) return c.body(new Uint8Array(out.buffer), status);
      return c.body(streamOf(out.chunks ?? []), status);
    });
    app.onError((_error, c) => c.text("error", 500));
    if (nodeServer) {
      const server = await new Promise<Server>((resolve) => {
        const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () =>
          resolve(started as Server),
        );
      });
      return { send: (req) => superSend(server, req), close: () => closeServer(server) };
    }
    return {
      async send(req) {
        const res = await app.request(req.path, { method: req.method ?? "GET", headers: req.headers ?? {} });
        const headers: Record<string, string> = {};
        res.headers.forEach((value, name) => {
          headers[name] = value;
        });
        const cookies = res.headers.getSetCookie();
        if (cookies.length > 0) headers["set-cookie"] = cookies.join(", ");
        return { status: res.status, headers: flatHeaders(headers), body: await res.text() };
      },
      close: async () => undefined,
    };
  },
});

runScenarios(honoFramework(false));
runScenarios(honoFramework(true));

describe("Hono hits and the headers of outer middleware", () => {
  type Outer = (c: Context, next: () => Promise<void>) => Promise<void>;

  function appWith(outer: Outer | undefined): Hono {
    const app = new Hono();
    if (outer !== undefined) app.use(outer);
    app.use(cacheMiddleware({ ttl: 60 }));
    let served = 0;
    app.get("/item", (c) => c.json({ served: ++served }));
    return app;
  }

  /** A miss then a hit of one URL (one server for both: the host is part of the key). */
  async function twice(app: Hono, nodeServer: boolean) {
    if (!nodeServer) return { miss: await app.request("/item"), hit: await app.request("/item") };
    const server = await new Promise<Server>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () =>
        resolve(started as Server),
      );
    });
    try {
      const { port } = server.address() as { port: number };
      const get = async () => {
        const res = await fetch(`http://127.0.0.1:${port}/item`);
        const body = await res.text();
        return new Response(body, { status: res.status, headers: res.headers });
      };
      return { miss: await get(), hit: await get() };
    } finally {
      await closeServer(server);
    }
  }

  for (const nodeServer of [false, true]) {
    const on = nodeServer ? "on @hono/node-server" : "through app.request";
    it(`answers a hit with every cache header when no outer middleware set any (${on})`, async () => {
      const { miss, hit } = await twice(appWith(undefined), nodeServer);
      expect(miss.headers.get("x-cache")).toBe("MISS");
      expect(hit.headers.get("x-cache")).toBe("HIT");
      expect(hit.headers.get("cache-status")).toMatch(/^keel; hit; ttl=\d+$/);
      expect(hit.headers.get("age")).toMatch(/^\d+$/);
      expect(hit.headers.get("etag")).toBe(miss.headers.get("etag"));
      expect(hit.headers.get("content-type")).toBe("application/json");
      expect(hit.headers.get("content-length")).toBe(String('{"served":1}'.length));
      expect(await hit.text()).toBe('{"served":1}');
    });

    it(`keeps headers outer middleware sets on c.res before and after next() on a hit (${on})`, async () => {
      const outer: Outer = async (c, next) => {
        c.res.headers.set("x-before", "b");
        await next();
        c.res.headers.set("x-after", "a");
      };
      const { hit } = await twice(appWith(outer), nodeServer);
      expect(hit.headers.get("x-cache")).toBe("HIT");
      expect(hit.headers.get("x-before")).toBe("b");
      expect(hit.headers.get("x-after")).toBe("a");
      expect(hit.headers.get("etag")).toMatch(/^"/);
      expect(await hit.text()).toBe('{"served":1}');
    });

    it(`keeps a header outer middleware sets with c.header() before next() on a hit (${on})`, async () => {
      const outer: Outer = async (c, next) => {
        c.header("x-trace", "t");
        await next();
      };
      const { hit } = await twice(appWith(outer), nodeServer);
      expect(hit.headers.get("x-cache")).toBe("HIT");
      expect(hit.headers.get("x-trace")).toBe("t");
      expect(await hit.text()).toBe('{"served":1}');
    });
  }
});
