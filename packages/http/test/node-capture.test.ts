import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import express from "express";
import Fastify from "fastify";
import Koa from "koa";
import { afterEach, describe, expect, it } from "vitest";
import { type CapturedResponse, captureNodeBody, HttpError } from "../src/index.js";
import { abortAfterHead, listen, type TestServer } from "./helpers/server.js";

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves `write` behind a capture and returns what the client received and what was captured. */
async function capture(
  write: (res: ServerResponse) => void,
  maxBytes = 1 << 20,
  init?: RequestInit,
): Promise<{ received: Buffer; captured: CapturedResponse | undefined }> {
  let captured!: Promise<CapturedResponse | undefined>;
  server = await listen((_req, res) => {
    captured = captureNodeBody(res, { maxBytes });
    write(res);
  });
  const received = Buffer.from(await (await fetch(server.url, init)).arrayBuffer());
  return { received, captured: await captured };
}

describe("captureNodeBody", () => {
  it("captures status, headers and a body written in parts", async () => {
    const { received, captured } = await capture((res) => {
      res.setHeader("Cache-Control", "max-age=60");
      res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
      res.write("héllo, ");
      res.end("world");
    });
    expect(captured?.statusCode).toBe(200);
    expect(captured?.headers).toMatchObject({
      "cache-control": "max-age=60",
      "content-type": "text/plain; charset=utf-8",
    });
    expect(captured?.body.toString("utf8")).toBe("héllo, world");
    expect(captured?.body).toEqual(received);
  });

  it("decodes strings written in any encoding into the bytes sent", async () => {
    const { received, captured } = await capture((res) => {
      res.write("aGk=", "base64");
      res.write("ff00", "hex");
      res.write("hé", "latin1");
      res.write("hé", "utf16le");
      res.end("€");
    });
    expect(captured?.body).toEqual(received);
    expect(captured?.body.length).toBe(2 + 2 + 2 + 4 + 3);
  });

  it("copies buffers when they are written, so a writer reusing one cannot change the capture", async () => {
    const { captured } = await capture((res) => {
      const buffer = Buffer.from("first");
      res.write(buffer, () => buffer.write("XXXXX"));
      res.end(new Uint8Array([33]));
    });
    expect(captured?.body.toString()).toBe("first!");
  });

  it("captures a stream piped into the response", async () => {
    const parts = Array.from({ length: 50 }, (_, i) => Buffer.alloc(1000, i));
    const { received, captured } = await capture((res) => {
      Readable.from(parts).pipe(res);
    });
    expect(received.length).toBe(50_000);
    expect(captured?.body).toEqual(Buffer.concat(parts));
  });

  it("keeps a body of exactly maxBytes and gives up one byte past it, without touching the response", async () => {
    const exact = await capture((res) => res.end("12345"), 5);
    expect(exact.captured?.body.toString()).toBe("12345");
    await server?.close();
    const over = await capture((res) => {
      res.write("123");
      res.end("456");
    }, 5);
    expect(over.captured).toBeUndefined();
    expect(over.received.toString()).toBe("123456");
    await server?.close();
    const empty = await capture((res) => res.end(), 0);
    expect(empty.captured?.body.length).toBe(0);
  });

  it("captures an empty body for HEAD, since Node sends none", async () => {
    const { captured } = await capture((res) => res.end("body for GET"), 1000, { method: "HEAD" });
    expect(captured?.body.length).toBe(0);
  });

  it("gives undefined when the connection closes before the response finishes", async () => {
    let captured!: Promise<CapturedResponse | undefined>;
    server = await listen((_req, res) => {
      captured = captureNodeBody(res, { maxBytes: 1000 });
      res.write("partial");
    });
    await abortAfterHead(server.port, "/");
    expect(await captured).toBeUndefined();
  });

  it("gives undefined when the head had already been sent", async () => {
    const { captured } = await capture((res) => {
      res.write("early");
      void captureNodeBody(res, { maxBytes: 1000 }).then((late) => expect(late).toBeUndefined());
      res.end("late");
    });
    expect(captured?.body.toString()).toBe("earlylate");
  });

  it("rejects a bad maxBytes at once", () => {
    const res = {} as ServerResponse;
    for (const maxBytes of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "10" as unknown as number]) {
      expect(() => captureNodeBody(res, { maxBytes })).toThrow(HttpError);
    }
    expect(() => captureNodeBody(res, { maxBytes: -1 })).toThrow(/maxBytes must be a non-negative integer/);
  });

  it("captures Express res.json and res.send", async () => {
    const captures: Promise<CapturedResponse | undefined>[] = [];
    const app = express();
    app.use((_req, res, next) => {
      captures.push(captureNodeBody(res, { maxBytes: 1000 }));
      next();
    });
    app.get("/json", (_req, res) => void res.json({ success: true, data: [1] }));
    app.get("/send", (_req, res) => void res.status(404).send(Buffer.from("nope")));
    server = await listen(app);
    await (await fetch(`${server.url}/json`)).text();
    await (await fetch(`${server.url}/send`)).text();
    const [json, send] = await Promise.all(captures);
    expect(json?.body.toString()).toBe('{"success":true,"data":[1]}');
    expect(json?.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect([send?.statusCode, send?.body.toString()]).toEqual([404, "nope"]);
  });

  it("captures Koa bodies, strings and streams, through ctx.res", async () => {
    const captures: Promise<CapturedResponse | undefined>[] = [];
    const app = new Koa();
    app.use(async (ctx, next) => {
      captures.push(captureNodeBody(ctx.res, { maxBytes: 1000 }));
      await next();
    });
    app.use((ctx) => {
      ctx.body = ctx.path === "/stream" ? Readable.from(["a", "b", "c"]) : { ok: true };
    });
    server = await listen(app.callback());
    await (await fetch(`${server.url}/json`)).text();
    await (await fetch(`${server.url}/stream`)).text();
    const [json, stream] = await Promise.all(captures);
    expect(json?.body.toString()).toBe('{"ok":true}');
    expect(stream?.body.toString()).toBe("abc");
  });

  it("captures Fastify reply.send through reply.raw, with Fastify's headers", async () => {
    const captures: Promise<CapturedResponse | undefined>[] = [];
    const app = Fastify();
    app.addHook("onRequest", async (_request, reply) => {
      captures.push(captureNodeBody(reply.raw, { maxBytes: 1000 }));
    });
    app.get("/json", async () => ({ ok: true }));
    app.get("/stream", async (_request, reply) => reply.type("text/plain").send(Readable.from(["x", "y"])));
    await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const { port } = app.server.address() as { port: number };
      await (await fetch(`http://127.0.0.1:${port}/json`)).text();
      await (await fetch(`http://127.0.0.1:${port}/stream`)).text();
      const [json, stream] = await Promise.all(captures);
      expect(json?.body.toString()).toBe('{"ok":true}');
      expect(json?.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(json?.headers["content-length"]).toBe("11");
      expect(stream?.body.toString()).toBe("xy");
    } finally {
      await app.close();
    }
  });
});
