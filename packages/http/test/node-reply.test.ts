import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { beforeNodeHead, type HttpError, observeNodeResponse, sendNodeReply } from "../src/index.js";
import { listen, rawRequest, type TestServer } from "./helpers/server.js";

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function rawReply(method: string, reply: (res: ServerResponse) => void): Promise<string> {
  server = await listen((_req, res) => reply(res));
  return rawRequest(server.port, `${method} / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
}

describe("sendNodeReply", () => {
  it("sends status, headers and body with its byte length", async () => {
    server = await listen((_req, res) => {
      sendNodeReply(res, 429, { "Content-Type": "application/json", "Retry-After": "30" }, '{"message":"é"}');
    });
    const response = await fetch(server.url);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("30");
    expect(response.headers.get("content-length")).toBe("16");
    expect(await response.text()).toBe('{"message":"é"}');
  });

  it("sends bytes as they are", async () => {
    server = await listen((_req, res) => {
      sendNodeReply(res, 200, {}, new Uint8Array([0, 255, 10]));
    });
    const response = await fetch(server.url);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([0, 255, 10]));
  });

  it("sends no body to a HEAD request, but the GET body's Content-Length", async () => {
    const text = await rawReply("HEAD", (res) => sendNodeReply(res, 200, { "X-Cache": "HIT" }, "hello"));
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toContain("Content-Length: 5\r\n");
    expect(text.endsWith("\r\n\r\n")).toBe(true);
  });

  it("sends neither body nor Content-Length with 304 and 204", async () => {
    for (const status of [304, 204]) {
      const text = await rawReply("GET", (res) => {
        res.setHeader("Content-Length", "99");
        sendNodeReply(res, status, { ETag: '"v1"' }, "ignored");
      });
      await server?.close();
      expect(text).toContain('ETag: "v1"');
      expect(text).not.toMatch(/content-length/i);
      expect(text.endsWith("\r\n\r\n")).toBe(true);
    }
  });

  it("keeps a Content-Length the caller gave, and sends 0 for no body", async () => {
    server = await listen((req, res) => {
      if (req.url === "/empty") sendNodeReply(res, 200, {}, undefined);
      else sendNodeReply(res, 200, { "content-length": "2" }, "ok");
    });
    const empty = await fetch(`${server.url}/empty`);
    expect([empty.headers.get("content-length"), await empty.text()]).toEqual(["0", ""]);
    const given = await fetch(`${server.url}/given`);
    expect([given.headers.get("content-length"), await given.text()]).toEqual(["2", "ok"]);
  });

  it("runs head hooks and is seen by observers", async () => {
    const observed: number[] = [];
    server = await listen((_req, res) => {
      beforeNodeHead(res, (r) => r.setHeader("X-Hook", String(r.statusCode)));
      observeNodeResponse(res, (info) => observed.push(info.statusCode, info.bytes));
      sendNodeReply(res, 429, {}, "slow down");
    });
    const response = await fetch(server.url);
    expect([response.headers.get("x-hook"), await response.text()]).toEqual(["429", "slow down"]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(observed).toEqual([429, 9]);
  });

  it("returns false and writes nothing once the head is sent", async () => {
    let result: boolean | undefined;
    server = await listen((_req, res) => {
      res.writeHead(200);
      result = sendNodeReply(res, 429, {}, "late");
      res.end("original");
    });
    const response = await fetch(server.url);
    expect([result, response.status, await response.text()]).toEqual([false, 200, "original"]);
  });

  it("rejects a bad status or header before writing anything", async () => {
    const codes: string[] = [];
    server = await listen((_req, res) => {
      for (const [status, headers] of [
        [199, {}],
        [600, {}],
        [200.5, {}],
        [200, { "X-Bad": "a\nb" }],
      ] as const) {
        try {
          sendNodeReply(res, status, headers, "x");
        } catch (error) {
          codes.push((error as HttpError).code);
        }
      }
      res.end("untouched");
    });
    const response = await fetch(server.url);
    expect(codes).toEqual([
      "ERR_KEEL_HTTP_STATUS",
      "ERR_KEEL_HTTP_STATUS",
      "ERR_KEEL_HTTP_STATUS",
      "ERR_KEEL_HTTP_HEADER",
    ]);
    expect([response.status, await response.text()]).toEqual([200, "untouched"]);
  });
});
