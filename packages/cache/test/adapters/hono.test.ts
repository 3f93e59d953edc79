import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
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
