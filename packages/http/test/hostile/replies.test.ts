import type { IncomingMessage, ServerResponse } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  hostileNumber,
  hostileString,
  longString,
  settle,
  typedOrOk,
} from "../../../../reliability/lib/hostile.js";
import { clientIpOf } from "../../src/client-ip.js";
import { HttpError } from "../../src/errors.js";
import { fetchReply, withHeaders } from "../../src/fetch-response.js";
import { setNodeHeaders } from "../../src/node-headers.js";
import { sendNodeReply } from "../../src/node-reply.js";
import { nodeRequestView } from "../../src/node-request-view.js";
import { routeName } from "../../src/route.js";
import { compileTrustProxy } from "../../src/trust-proxy.js";
import { listen, rawRequest, type TestServer } from "../helpers/server.js";

// Hostile input against replies and request views: a reply with any status or header either goes
// out or is refused with an HttpError before anything is written, and malformed or oversized
// requests never take the server down.

const headerRecord = fc.dictionary(
  hostileString(12),
  fc.oneof(hostileString(40), hostileNumber.map(String)),
  {
    maxKeys: 4,
  },
);
const status = fc.oneof(hostileNumber, fc.integer({ min: 100, max: 700 }));

describe("replies under hostile status and headers", () => {
  it("fetchReply builds a Response or throws an HttpError", async () => {
    await fc.assert(
      fc.asyncProperty(status, headerRecord, hostileString(100), async (code, headers, body) => {
        const outcome = await settle("fetchReply", () => fetchReply(code, headers, body));
        if (typedOrOk("fetchReply", outcome, HttpError, "ERR_KEEL_HTTP_")) {
          expect(outcome.value.status).toBe(code);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("withHeaders adds headers or throws an HttpError, never a TypeError from Headers", async () => {
    await fc.assert(
      fc.asyncProperty(headerRecord, async (headers) => {
        const outcome = await settle("withHeaders", () => withHeaders(Response.json({ ok: true }), headers));
        typedOrOk("withHeaders", outcome, HttpError, "ERR_KEEL_HTTP_");
      }),
      { numRuns: 1_000 },
    );
  });

  it("routeName names any method and template without throwing", () => {
    fc.assert(
      fc.property(hostileString(30), fc.option(hostileString(60), { nil: undefined }), (method, template) => {
        expect(typeof routeName(method, template)).toBe("string");
      }),
    );
  });
});

describe("a node:http server under hostile requests", () => {
  let server: TestServer;
  const seen: { ip: string | undefined; path: string; query: string }[] = [];
  const trust = compileTrustProxy(false);
  let replyWith: { status: number; headers: Record<string, string> } = { status: 200, headers: {} };

  beforeAll(async () => {
    server = await listen((req: IncomingMessage, res: ServerResponse) => {
      const view = nodeRequestView(req);
      seen.push({ ip: clientIpOf(view, trust), path: view.path, query: view.query });
      try {
        if (!setNodeHeaders(res, replyWith.headers)) throw new Error("head already sent");
        sendNodeReply(res, replyWith.status, {}, "ok");
      } catch (error) {
        res.statusCode = error instanceof HttpError ? 500 : 599;
        res.end(error instanceof HttpError ? error.code : "untyped");
      }
    });
  });
  afterAll(() => server.close());

  const send = (text: string) =>
    settle("raw request", () => rawRequest(server.port, text), 5_000).then((o) => (o.ok ? o.value : ""));

  it("survives malformed, oversized and spoofed requests and keys each by its socket", async () => {
    const requests = [
      "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 6.6.6.6\r\nForwarded: for=7.7.7.7\r\nConnection: close\r\n\r\n",
      "GET /?a=1&a=2&%ZZ=%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      `GET /${longString(12_000, "a")}?${longString(3_000, "q=")} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${longString(70_000, "b")}\r\nConnection: close\r\n\r\n`,
      "GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\nConnection: close\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nX-Ctl: a\u0000b\r\nConnection: close\r\n\r\n",
      "GET http://evil.example/admin?x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "NOTAMETHOD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n",
    ];
    const answers = await Promise.all(requests.map(send));
    expect(answers.map((a) => a.slice(0, 12))).toEqual([
      "HTTP/1.1 200",
      "HTTP/1.1 200",
      "HTTP/1.1 200",
      "HTTP/1.1 431", // Node's own header limit (16 KB)
      "HTTP/1.1 400",
      "HTTP/1.1 400",
      "HTTP/1.1 200",
      "HTTP/1.1 400",
      "HTTP/1.1 400", // request smuggling shape refused by Node's parser
    ]);
    // Every request that reached the handler was keyed by its socket, never by a header.
    expect(seen.length).toBe(4);
    for (const request of seen) expect(request.ip).toBe("127.0.0.1");
    expect(seen.map((r) => r.path)).toContain("/admin");
    // The server still answers.
    expect((await send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).slice(0, 12)).toBe(
      "HTTP/1.1 200",
    );
  });

  it("refuses bad reply headers with an HttpError before writing anything", async () => {
    await fc.assert(
      fc.asyncProperty(status, headerRecord, async (code, headers) => {
        replyWith = { status: code, headers };
        const answer = await send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        expect(answer).toMatch(/^HTTP\/1\.1 (\d{3})/);
        expect(answer).not.toContain("untyped");
      }),
      { numRuns: 150 },
    );
  });
});
