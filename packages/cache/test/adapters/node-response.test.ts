// Edge cases of holding a Node response back for the cache: streams that must not wait, other
// wrappers of the same response, aborted clients, and a settle that fails.
import { get, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { observeNodeResponse } from "@keel/http";
import { afterEach, describe, expect, it } from "vitest";
import { cacheMiddleware } from "../../src/adapters/node.js";
import { interceptNodeResponse } from "../../src/adapters/node-exchange.js";
import { createCache } from "../../src/cache.js";
import type { Exchange } from "../../src/middleware/steps.js";
import { closeServer, listen, superSend } from "./harness.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const servers: Awaited<ReturnType<typeof listen>>[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await closeServer(server);
});

async function serve(handler: Handler, options: Parameters<typeof cacheMiddleware>[0] = { ttl: 60 }) {
  const cache = createCache();
  const middleware = cacheMiddleware(typeof options === "number" ? options : { cache, ...options });
  const server = await listen(async (req, res) => {
    if (await middleware(req, res)) handler(req, res);
  });
  servers.push(server);
  return { server, cache, port: (server.address() as AddressInfo).port };
}

/** The status, headers and first body chunk of a GET, then the connection is dropped. */
function firstChunk(
  port: number,
  path: string,
): Promise<{ headers: IncomingMessage["headers"]; chunk: string }> {
  return new Promise((resolve, reject) => {
    const req = get({ port, path, host: "127.0.0.1" }, (res) => {
      res.once("data", (chunk: Buffer) => {
        resolve({ headers: res.headers, chunk: chunk.toString() });
        req.destroy();
      });
    });
    req.on("error", reject);
  });
}

describe("holding a Node response for the cache", () => {
  it("lets an event stream through at once, uncached", async () => {
    const { port } = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: 1\n\n"); // never ended
    });
    const { headers, chunk } = await firstChunk(port, "/events");
    expect(chunk).toBe("data: 1\n\n");
    expect(headers["x-cache"]).toBe("MISS");
    expect(headers["cache-status"]).toMatch(/detail=streaming/);
  });

  it("lets a response through once the handler flushes its head", async () => {
    const { port } = await serve((_req, res) => {
      res.setHeader("content-type", "text/plain");
      res.flushHeaders();
      res.write("early");
    });
    const { headers, chunk } = await firstChunk(port, "/flushed");
    expect([chunk, headers["x-cache"]]).toEqual(["early", "MISS"]);
  });

  it("keeps writeHead's reason phrase and header list, and calls write and end callbacks", async () => {
    const calls: string[] = [];
    const { server } = await serve((_req, res) => {
      res.write("a", () => calls.push("write"));
      res.write(Buffer.from("b"), "utf8", () => calls.push("write2"));
      res.writeHead(200, "Fine", ["content-type", "text/plain", "x-list", "1"]);
      res.end("c", () => calls.push("end"));
    });
    const miss = await superSend(server, { path: "/list" });
    const hit = await superSend(server, { path: "/list" });
    expect([
      miss.body,
      miss.headers["x-list"],
      hit.body,
      hit.headers["x-list"],
      hit.headers["x-cache"],
    ]).toEqual(["abc", "1", "abc", "1", "HIT"]);
    expect(calls.sort()).toEqual(["end", "write", "write2"]);
  });

  it("shows an observer the handler installs the body once, as sent", async () => {
    const seen: number[] = [];
    const { server } = await serve((_req, res) => {
      observeNodeResponse(res, (info) => seen.push(info.bytes));
      res.end("hello");
    });
    await superSend(server, { path: "/observed" });
    await superSend(server, { path: "/observed" });
    expect(seen).toEqual([5]);
  });

  it("releases the requests waiting on a client that went away", async () => {
    let runs = 0;
    const { port, server } = await serve((_req, res) => {
      runs++;
      res.setHeader("content-type", "text/plain");
      if (runs === 1)
        res.write("partial"); // the first client leaves before the end
      else res.end("whole");
    });
    await new Promise<void>((resolve) => {
      const req = httpRequest({ port, path: "/left", host: "127.0.0.1" });
      req.on("error", () => {});
      req.end();
      const wait = (): void => {
        if (runs === 1) {
          req.destroy();
          resolve();
        } else setTimeout(wait, 2);
      };
      wait();
    });
    const next = await superSend(server, { path: "/left" });
    expect([next.body, next.headers["x-cache"], runs]).toEqual(["whole", "MISS", 2]);
  });

  it("sends the handler's response unchanged when the cache fails to settle it", async () => {
    const warnings: unknown[] = [];
    const onWarning = (warning: unknown): number => warnings.push(warning);
    process.on("warning", onWarning);
    const failing: Exchange = {
      maxBodySize: 100,
      removeRequestHeaders: [],
      setRequestHeaders: [],
      settle: () => Promise.reject(new Error("settle failed")),
      passThrough: () => [],
      fail: () => undefined,
    };
    const server = await listen((_req, res) => {
      interceptNodeResponse(res, failing, []);
      res.statusCode = 201;
      res.end("as written");
    });
    servers.push(server);
    const response = await superSend(server, { path: "/" });
    process.off("warning", onWarning);
    expect([response.status, response.body]).toEqual([201, "as written"]);
    expect(String(warnings[0])).toMatch(/settle failed/);
  });

  it("hands errors to next, or rejects without it", async () => {
    const middleware = cacheMiddleware({
      ttl: 60,
      cache: createCache(),
      keyGenerator: () => {
        throw new Error("no key");
      },
    });
    const req = { method: "GET", url: "/x", headers: {}, socket: {} } as unknown as IncomingMessage;
    const res = {} as ServerResponse;
    const errors: unknown[] = [];
    expect(await middleware(req, res, (error) => errors.push(error))).toBe(false);
    expect(String(errors[0])).toMatch(/no key/);
    await expect(middleware(req, res)).rejects.toThrow(/no key/);
  });
});
