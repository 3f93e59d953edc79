import { Hono } from "hono";
import { afterEach, describe, expect, it } from "vitest";
import { fetchReply, HttpError, withHeaders } from "../src/index.js";
import { listen, type TestServer } from "./helpers/server.js";

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof HttpError ? error.code : "not an HttpError";
  }
  return undefined;
}

describe("withHeaders", () => {
  it("sets headers in place on a response that allows it", () => {
    const response = new Response("body", { headers: { "X-Old": "1", "Cache-Control": "no-store" } });
    const result = withHeaders(response, { "cache-control": "max-age=60", "X-New": "2" });
    expect(result).toBe(response);
    const entries: [string, string][] = [];
    result.headers.forEach((value, name) => {
      entries.push([name, value]);
    });
    expect(entries.filter(([name]) => name !== "content-type")).toEqual([
      ["cache-control", "max-age=60"],
      ["x-new", "2"],
      ["x-old", "1"],
    ]);
  });

  it("copies a response whose headers are immutable, keeping status, text, headers and body", async () => {
    server = await listen((_req, res) => {
      res.writeHead(201, "Made It", { "X-Origin": "server" }).end("from the network");
    });
    const fetched = await fetch(server.url);
    expect(() => fetched.headers.set("x-probe", "1")).toThrow(TypeError);
    const result = withHeaders(fetched, { "X-Added": "yes" });
    expect(result).not.toBe(fetched);
    expect([result.status, result.statusText]).toEqual([201, "Made It"]);
    expect([result.headers.get("x-origin"), result.headers.get("x-added")]).toEqual(["server", "yes"]);
    expect(await result.text()).toBe("from the network");
  });

  it("copies a redirect", () => {
    const result = withHeaders(Response.redirect("https://example.com/next", 302), { "X-Added": "yes" });
    expect([result.status, result.headers.get("location"), result.headers.get("x-added")]).toEqual([
      302,
      "https://example.com/next",
      "yes",
    ]);
  });

  it("returns a network error and an empty header set unchanged", () => {
    const error = Response.error();
    expect(withHeaders(error, { "X-Added": "yes" })).toBe(error);
    const plain = new Response(null);
    expect(withHeaders(plain, {})).toBe(plain);
  });

  it("rejects a bad header before changing anything", () => {
    const response = new Response("x");
    expect(codeOf(() => withHeaders(response, { "X-Ok": "1", "X-Bad": "a\r\nb" }))).toBe(
      "ERR_KEEL_HTTP_HEADER",
    );
    expect(codeOf(() => withHeaders(response, { "Bad Name": "1" }))).toBe("ERR_KEEL_HTTP_HEADER");
    expect(response.headers.has("x-ok")).toBe(false);
  });

  it("adds headers to a Hono response from middleware", async () => {
    const app = new Hono();
    app.use(async (c, next) => {
      await next();
      c.res = withHeaders(c.res, { "X-Served-By": "keel" });
    });
    app.get("/", (c) => c.json({ ok: true }));
    const response = await app.request("/");
    expect(response.headers.get("x-served-by")).toBe("keel");
    expect(await response.json()).toEqual({ ok: true });
  });
});

describe("fetchReply", () => {
  it("builds a reply with status, headers and a string or byte body", async () => {
    const text = fetchReply(
      429,
      { "Content-Type": "application/json", "Retry-After": "30" },
      '{"retryAfter":30}',
    );
    expect([text.status, text.headers.get("retry-after"), await text.json()]).toEqual([
      429,
      "30",
      { retryAfter: 30 },
    ]);
    const bytes = fetchReply(200, {}, new Uint8Array([1, 2, 3]));
    expect(new Uint8Array(await bytes.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(await fetchReply(200, {}, null).text()).toBe("");
  });

  it("drops the body of 204, 205 and 304 replies", async () => {
    for (const status of [204, 205, 304]) {
      const reply = fetchReply(status, { ETag: '"v1"' }, "ignored");
      expect([reply.status, reply.body, reply.headers.get("etag")]).toEqual([status, null, '"v1"']);
    }
  });

  it("gives a reply whose headers can still be changed", () => {
    const reply = fetchReply(200, {}, "x");
    reply.headers.set("X-Later", "1");
    expect(reply.headers.get("x-later")).toBe("1");
  });

  it("rejects statuses a Response cannot have and bad headers", () => {
    for (const status of [0, 101, 199, 600, 200.5, Number.NaN]) {
      expect(
        codeOf(() => fetchReply(status, {}, null)),
        String(status),
      ).toBe("ERR_KEEL_HTTP_STATUS");
    }
    expect(codeOf(() => fetchReply(200, { "X-Bad": "é\u0100" }, null))).toBe("ERR_KEEL_HTTP_HEADER");
  });

  it("short-circuits a Hono request, HEAD included", async () => {
    const app = new Hono();
    app.use(async () => fetchReply(429, { "Retry-After": "5" }, "slow down"));
    app.get("/", (c) => c.text("never"));
    const get = await app.request("/");
    expect([get.status, get.headers.get("retry-after"), await get.text()]).toEqual([429, "5", "slow down"]);
    const head = await app.request("/", { method: "HEAD" });
    expect([head.status, await head.text()]).toEqual([429, ""]);
  });
});
