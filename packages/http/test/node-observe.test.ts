import { Readable } from "node:stream";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { type NodeResponseInfo, observeNodeResponse } from "../src/index.js";
import { abortAfterHead, listen, type TestServer } from "./helpers/server.js";

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Resolves with the first report of each request's observer, in arrival order. */
function reports(): { list: Promise<NodeResponseInfo>[]; next(): (info: NodeResponseInfo) => void } {
  const list: Promise<NodeResponseInfo>[] = [];
  return {
    list,
    next() {
      let resolve!: (info: NodeResponseInfo) => void;
      list.push(new Promise((r) => (resolve = r)));
      return (info) => resolve(info);
    },
  };
}

describe("observeNodeResponse", () => {
  it("reports status, headers and body bytes once the response finishes", async () => {
    const seen = reports();
    let calls = 0;
    server = await listen((_req, res) => {
      const report = seen.next();
      observeNodeResponse(res, (info) => {
        calls++;
        report(info);
      });
      res.setHeader("X-App", "1");
      res.writeHead(201, { "Content-Type": "text/plain" });
      res.write("héllo ");
      res.write("6869", "hex");
      res.end(Buffer.from("!"));
    });
    expect(await (await fetch(server.url)).text()).toBe("héllo hi!");
    const info = await seen.list[0]!;
    expect(info).toMatchObject({ statusCode: 201, bytes: 10, aborted: false });
    expect(info.headers).toMatchObject({ "x-app": "1", "content-type": "text/plain" });
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toBe(1);
  });

  it("wraps no method of the response and reports 0 bytes and no headers when asked for neither", async () => {
    const seen = reports();
    let ownMethods: string[] = [];
    server = await listen((_req, res) => {
      observeNodeResponse(res, seen.next(), { bytes: false, headers: false });
      ownMethods = ["writeHead", "write", "end"].filter((name) => Object.hasOwn(res, name));
      res.writeHead(202, { "Content-Type": "text/plain" });
      res.end("hello");
    });
    expect(await (await fetch(server.url)).text()).toBe("hello");
    const info = await seen.list[0]!;
    expect(ownMethods).toEqual([]);
    expect(info).toMatchObject({ statusCode: 202, bytes: 0, aborted: false });
    expect(info.headers).toEqual({});
  });

  it("reports the headers of writeHead without counting bytes when asked for headers only", async () => {
    const seen = reports();
    let ownMethods: string[] = [];
    server = await listen((_req, res) => {
      observeNodeResponse(res, seen.next(), { bytes: false });
      ownMethods = ["writeHead", "write", "end"].filter((name) => Object.hasOwn(res, name));
      res.writeHead(200, "Fine", { "Content-Type": "text/plain" });
      res.end("hello");
    });
    expect(await (await fetch(server.url)).text()).toBe("hello");
    const info = await seen.list[0]!;
    expect(ownMethods).toEqual(["writeHead"]);
    expect(info).toMatchObject({ statusCode: 200, bytes: 0 });
    expect(info.headers).toMatchObject({ "content-type": "text/plain" });
    expect(info.headers).toBe(info.headers);
  });

  it("counts strings in their encoding", async () => {
    const seen = reports();
    server = await listen((_req, res) => {
      observeNodeResponse(res, seen.next());
      res.write("aGk=", "base64");
      res.write("hé", "latin1");
      res.write("hé", "utf16le");
      res.end("€", "utf8");
    });
    await (await fetch(server.url)).arrayBuffer();
    expect((await seen.list[0]!).bytes).toBe(2 + 2 + 4 + 3);
  });

  it("counts bytes piped in from a stream", async () => {
    const seen = reports();
    server = await listen((_req, res) => {
      observeNodeResponse(res, seen.next());
      Readable.from([Buffer.alloc(1000, 1), "abc", Buffer.alloc(24_000, 2)]).pipe(res);
    });
    expect((await (await fetch(server.url)).arrayBuffer()).byteLength).toBe(25_003);
    expect((await seen.list[0]!).bytes).toBe(25_003);
  });

  it("counts no bytes for a HEAD request, whose body Node drops", async () => {
    const seen = reports();
    server = await listen((_req, res) => {
      observeNodeResponse(res, seen.next());
      res.end("body for GET");
    });
    await fetch(server.url, { method: "HEAD" });
    expect((await seen.list[0]!).bytes).toBe(0);
  });

  it("reports an aborted response when the client goes away first", async () => {
    const seen = reports();
    server = await listen((_req, res) => {
      observeNodeResponse(res, seen.next());
      res.write("partial");
    });
    await abortAfterHead(server.port, "/");
    expect(await seen.list[0]!).toMatchObject({ aborted: true, bytes: 7, statusCode: 200 });
  });

  it("reports a response that is already over on the next tick", async () => {
    const seen = reports();
    server = await listen((_req, res) => {
      res.end("done");
      res.on("finish", () => observeNodeResponse(res, seen.next()));
    });
    await (await fetch(server.url)).text();
    expect(await seen.list[0]!).toMatchObject({ aborted: false, bytes: 0, statusCode: 200 });
  });

  it("serves several observers on one response, and Express's res.json", async () => {
    const seen = reports();
    const app = express();
    app.use((_req, res, next) => {
      observeNodeResponse(res, seen.next());
      observeNodeResponse(res, seen.next());
      next();
    });
    app.get("/", (_req, res) => void res.status(404).json({ success: false }));
    server = await listen(app);
    await (await fetch(server.url)).text();
    const [a, b] = await Promise.all(seen.list);
    expect(a).toMatchObject({ statusCode: 404, bytes: 17, aborted: false });
    expect(b).toEqual(a);
  });
});
