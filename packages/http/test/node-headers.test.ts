import type { ServerResponse } from "node:http";
import express from "express";
import Fastify from "fastify";
import Koa from "koa";
import { afterEach, describe, expect, it } from "vitest";
import { beforeNodeHead, HttpError, setNodeHeaders } from "../src/index.js";
import { listen, rawRequest, type TestServer } from "./helpers/server.js";

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: (res: ServerResponse) => void): Promise<Response> {
  server = await listen((_req, res) => handler(res));
  return fetch(server.url);
}

describe("setNodeHeaders", () => {
  it("sets headers of every value type before the head is sent", async () => {
    let result: boolean | undefined;
    const response = await serve((res) => {
      result = setNodeHeaders(res, { "X-A": "a", "X-Count": 3, "Set-Cookie": ["a=1", "b=2"] });
      res.end();
    });
    expect(result).toBe(true);
    expect(response.headers.get("x-a")).toBe("a");
    expect(response.headers.get("x-count")).toBe("3");
    expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
  });

  it("returns false instead of throwing once the head is sent", async () => {
    let result: boolean | undefined;
    const response = await serve((res) => {
      res.writeHead(200);
      result = setNodeHeaders(res, { "X-Late": "1" });
      res.end("body");
    });
    expect(result).toBe(false);
    expect(response.headers.has("x-late")).toBe(false);
  });

  it("rejects a bad header before setting any", async () => {
    const errors: unknown[] = [];
    const response = await serve((res) => {
      for (const headers of [
        { "X-Ok": "1", "Bad Name": "x" },
        { "X-Ok": "1", "X-Bad": "a\r\nInjected: 1" },
        { "X-Ok": "1", "X-Nan": Number.NaN },
      ]) {
        try {
          setNodeHeaders(res, headers);
        } catch (error) {
          errors.push(error);
        }
      }
      res.end();
    });
    expect(errors).toHaveLength(3);
    for (const error of errors) expect((error as HttpError).code).toBe("ERR_KEEL_HTTP_HEADER");
    expect(errors[0]).toBeInstanceOf(HttpError);
    expect(response.headers.has("x-ok")).toBe(false);
  });
});

describe("beforeNodeHead", () => {
  it("runs before an explicit writeHead without headers, seeing the status being sent", async () => {
    const statuses: number[] = [];
    const response = await serve((res) => {
      beforeNodeHead(res, (r) => {
        statuses.push(r.statusCode);
        r.setHeader("X-Hook", "1");
      });
      res.writeHead(201);
      res.end();
    });
    expect(statuses).toEqual([201]);
    expect(response.status).toBe(201);
    expect(response.headers.get("x-hook")).toBe("1");
  });

  it("sees headers passed to writeHead, and both reach the client", async () => {
    const seen: unknown[] = [];
    const response = await serve((res) => {
      beforeNodeHead(res, (r) => {
        seen.push(r.getHeader("x-app"));
        r.setHeader("X-Hook", "1");
      });
      res.writeHead(202, "Accepted Now", { "X-App": "app" });
      res.end();
    });
    expect(seen).toEqual(["app"]);
    expect(response.statusText).toBe("Accepted Now");
    expect([response.headers.get("x-app"), response.headers.get("x-hook")]).toEqual(["app", "1"]);
  });

  it("handles a raw header array in writeHead, duplicates included", async () => {
    let names: string[] = [];
    server = await listen((_req, res) => {
      res.setHeader("X-Dup", "old");
      beforeNodeHead(res, (r) => {
        names = r.getHeaderNames();
        r.setHeader("X-Hook", "1");
      });
      res.writeHead(200, ["X-Dup", "a", "X-Dup", "b", "", "ignored"]);
      res.end();
    });
    const text = await rawRequest(server.port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(names).toEqual(["x-dup"]);
    expect(text).toMatch(/X-Dup: a\r\nX-Dup: b\r\n/);
    expect(text).not.toContain("old");
    expect(text).toContain("X-Hook: 1");
  });

  it.each([
    [
      "write()",
      (res: ServerResponse) => {
        res.write("a");
        res.end("b");
      },
    ],
    ["end(body)", (res: ServerResponse) => res.end("ab")],
    ["end()", (res: ServerResponse) => res.end()],
    [
      "flushHeaders()",
      (res: ServerResponse) => {
        res.flushHeaders();
        res.end();
      },
    ],
  ])("runs before the implicit head of %s", async (_name, send) => {
    let runs = 0;
    const response = await serve((res) => {
      res.statusCode = 203;
      beforeNodeHead(res, (r) => {
        runs++;
        r.setHeader("X-Hook", String(r.statusCode));
      });
      send(res);
    });
    await response.arrayBuffer();
    expect(runs).toBe(1);
    expect(response.headers.get("x-hook")).toBe("203");
  });

  it("runs several hooks in registration order, each once, including one added by a hook", async () => {
    const order: string[] = [];
    await serve((res) => {
      beforeNodeHead(res, (r) => {
        order.push("first");
        beforeNodeHead(r, () => order.push("added"));
      });
      beforeNodeHead(res, () => order.push("second"));
      res.write("x");
      res.end("y");
    });
    expect(order).toEqual(["first", "second", "added"]);
  });

  it("never runs a hook twice, even when writeHead is called again", async () => {
    let runs = 0;
    let second: unknown;
    await serve((res) => {
      beforeNodeHead(res, () => runs++);
      res.writeHead(200);
      try {
        res.writeHead(500);
      } catch (error) {
        second = error;
      }
      res.end();
    });
    expect(runs).toBe(1);
    expect((second as { code?: string }).code).toBe("ERR_HTTP_HEADERS_SENT");
  });

  it("returns false, and never runs the hook, once the head is sent", async () => {
    let runs = 0;
    let result: boolean | undefined;
    await serve((res) => {
      res.writeHead(200);
      result = beforeNodeHead(res, () => runs++);
      res.end();
    });
    expect([result, runs]).toEqual([false, 0]);
  });

  it("sends the head and emits a warning when a hook throws, running the other hooks", async () => {
    const runs: string[] = [];
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const response = await serve((res) => {
        beforeNodeHead(res, () => {
          runs.push("broken");
          throw new Error("hook failed");
        });
        beforeNodeHead(res, (r) => {
          runs.push("ok");
          r.setHeader("X-Ok", "1");
        });
        res.end("the whole body");
      });
      expect(runs).toEqual(["broken", "ok"]);
      expect(response.headers.get("x-ok")).toBe("1");
      expect(await response.text()).toBe("the whole body");
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toBeInstanceOf(HttpError);
    expect((warnings[0] as HttpError).code).toBe("ERR_KEEL_HTTP_HEAD_HOOK");
    expect(((warnings[0] as HttpError).cause as Error).message).toBe("hook failed");
  });

  it("works under Express res.json and res.send", async () => {
    const app = express();
    app.use((_req, res, next) => {
      beforeNodeHead(res, (r) => r.setHeader("X-Hook", String(r.statusCode)));
      next();
    });
    app.get("/json", (_req, res) => void res.status(201).json({ ok: true }));
    app.get("/send", (_req, res) => void res.send("text"));
    server = await listen(app);
    const json = await fetch(`${server.url}/json`);
    const send = await fetch(`${server.url}/send`);
    expect([json.headers.get("x-hook"), await json.text()]).toEqual(["201", '{"ok":true}']);
    expect([send.headers.get("x-hook"), await send.text()]).toEqual(["200", "text"]);
  });

  it("works under Koa through ctx.res", async () => {
    const app = new Koa();
    app.use(async (ctx, next) => {
      beforeNodeHead(ctx.res, (r) => r.setHeader("X-Hook", String(r.statusCode)));
      await next();
    });
    app.use((ctx) => {
      ctx.status = 202;
      ctx.body = { ok: true };
    });
    server = await listen(app.callback());
    const response = await fetch(server.url);
    expect([response.headers.get("x-hook"), await response.json()]).toEqual(["202", { ok: true }]);
  });

  it("works under Fastify reply.send through reply.raw, seeing Fastify's own headers", async () => {
    const app = Fastify();
    const seen: unknown[] = [];
    app.addHook("onRequest", async (_request, reply) => {
      beforeNodeHead(reply.raw, (r) => {
        seen.push(r.getHeader("content-type"));
        r.setHeader("X-Hook", String(r.statusCode));
      });
    });
    app.get("/", async (_request, reply) => reply.code(202).header("X-App", "1").send({ ok: true }));
    await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const address = app.server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${address.port}/`);
      expect([response.headers.get("x-hook"), response.headers.get("x-app")]).toEqual(["202", "1"]);
      expect(await response.json()).toEqual({ ok: true });
      expect(seen).toEqual(["application/json; charset=utf-8"]);
    } finally {
      await app.close();
    }
  });
});
