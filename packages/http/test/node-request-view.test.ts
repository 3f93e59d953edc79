import type { IncomingMessage } from "node:http";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { clientIpOf, compileTrustProxy, nodeRequestView, type RequestView } from "../src/index.js";
import { listen, rawRequest, type TestServer } from "./helpers/server.js";

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serves one request, answering 204, and resolves with the view of it taken inside the handler. */
async function viewOf(
  request: string,
  wrap: (req: IncomingMessage) => RequestView = nodeRequestView,
): Promise<RequestView> {
  let seen: RequestView | undefined;
  server = await listen((req, res) => {
    seen = wrap(req);
    res.writeHead(204, { connection: "close" }).end();
  });
  await rawRequest(server.port, request);
  if (seen === undefined) throw new Error("the handler did not run");
  return seen;
}

describe("nodeRequestView", () => {
  it("reads method, path, query and the socket peer", async () => {
    const view = await viewOf("GET /api/modules/a%20b?page=2&q=x HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(view.method).toBe("GET");
    expect(view.path).toBe("/api/modules/a%20b");
    expect(view.query).toBe("page=2&q=x");
    expect(view.remoteAddress).toBe("127.0.0.1");
  });

  it("gives an empty query when there is none, and for a bare ?", async () => {
    expect((await viewOf("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")).query).toBe("");
    await server?.close();
    expect((await viewOf("GET /a? HTTP/1.1\r\nHost: x\r\n\r\n")).query).toBe("");
  });

  it("reads the path out of an absolute-form target", async () => {
    const view = await viewOf("GET http://example.com:8080/p/q?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
    expect([view.path, view.query]).toEqual(["/p/q", "x=1"]);
  });

  it("reads headers case-insensitively and joins repeated ones", async () => {
    const view = await viewOf(
      "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.7\r\nX-Forwarded-For: 10.0.0.1\r\nX-Trace: a\r\n\r\n",
    );
    expect(view.header("x-forwarded-for")).toBe("203.0.113.7, 10.0.0.1");
    expect(view.header("X-TRACE")).toBe("a");
    expect(view.header("absent")).toBeUndefined();
  });

  it("joins a header Node keeps as an array", async () => {
    const view = await viewOf("GET / HTTP/1.1\r\nHost: x\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n");
    expect(view.header("set-cookie")).toBe("a=1, b=2");
  });

  it("keeps the socket peer after the connection has closed", async () => {
    const view = await viewOf("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await server?.close();
    expect(view.remoteAddress).toBe("127.0.0.1");
  });

  it("upper-cases the method", async () => {
    const view = await viewOf("GET / HTTP/1.1\r\nHost: x\r\n\r\n", (req) => {
      Object.defineProperty(req, "method", { value: "patch" });
      return nodeRequestView(req);
    });
    expect(view.method).toBe("PATCH");
  });

  it("uses Express's originalUrl inside a mounted router", async () => {
    let inner: RequestView | undefined;
    const app = express();
    const router = express.Router();
    router.get("/modules/:slug", (req, res) => {
      inner = nodeRequestView(req);
      res.json({ url: req.url });
    });
    app.use("/api", router);
    server = await listen(app);
    const body = await (await fetch(`${server.url}/api/modules/intro?x=1`)).json();
    expect(body).toEqual({ url: "/modules/intro?x=1" });
    expect([inner?.path, inner?.query]).toEqual(["/api/modules/intro", "x=1"]);
  });

  it("finds the client behind a trusted proxy with clientIpOf", async () => {
    const request = "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.9, 203.0.113.7\r\n\r\n";
    const view = await viewOf(request);
    expect(clientIpOf(view, compileTrustProxy(false))).toBe("127.0.0.1");
    expect(clientIpOf(view, compileTrustProxy("loopback"))).toBe("203.0.113.7");
    expect(clientIpOf(view, compileTrustProxy(true))).toBe("198.51.100.9");
  });

  it("reads RFC 7239 Forwarded through clientIpOf", async () => {
    const view = await viewOf('GET / HTTP/1.1\r\nHost: x\r\nForwarded: for="[2001:db8::9]:1234"\r\n\r\n');
    expect(clientIpOf(view, compileTrustProxy("loopback"))).toBe("2001:db8::9");
  });
});
