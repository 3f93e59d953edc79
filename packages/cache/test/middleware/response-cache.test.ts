import { describe, expect, it } from "vitest";
import { CacheError } from "../../src/errors.js";
import { keyPattern, pathTag } from "../../src/middleware/cache-key.js";
import { sameOriginPath } from "../../src/middleware/exchange.js";
import { MAX_VARIANTS } from "../../src/middleware/stored-response.js";
import { core, exchangeOf, header, text } from "./support.js";

describe("the response-cache core", () => {
  it("leaves methods other than GET, HEAD and the unsafe ones alone", async () => {
    const { begin } = core();
    expect((await begin("OPTIONS", "/x")).kind).toBe("pass");
    expect((await begin("TRACE", "/x")).kind).toBe("pass");
  });

  it("reads a foreign value under a response key as a miss", async () => {
    const { begin, cache } = core();
    await cache.set("http:GET /x ?", { not: "ours" });
    expect((await begin("GET", "/x")).kind).toBe("run");
  });

  it("refuses a keyGenerator that gives no string, and tags that are not strings", async () => {
    await expect(core({ keyGenerator: () => "" }).begin("GET", "/x")).rejects.toBeInstanceOf(CacheError);
    await expect(core({ tags: () => [1] as never }).begin("GET", "/x")).rejects.toMatchObject({
      code: "ERR_KEEL_CACHE_ARGUMENT",
    });
  });

  it("stores nothing, and shares nothing, when the key is invalidated while the handler runs", async () => {
    for (const invalidate of [
      (c: ReturnType<typeof core>) => c.cache.invalidate(keyPattern("/x")),
      (c: ReturnType<typeof core>) => c.cache.invalidateTags([pathTag("/x")]),
      (c: ReturnType<typeof core>) => c.cache.delete("http:GET /x ?"),
      (c: ReturnType<typeof core>) => c.cache.clear(),
    ]) {
      const c = core();
      const leader = exchangeOf(await c.begin("GET", "/x"));
      const waiter = c.begin("GET", "/x");
      await c.cache.invalidate("unrelated*");
      await invalidate(c);
      expect(c.owner.flights.size).toBe(0);
      // The waiter learns nothing from the cancelled flight: it runs its own handler.
      exchangeOf(await waiter).passThrough("aborted", 200);
      const final = await leader.settle(text("old"));
      expect(final.headers["cache-status"]).toMatch(/detail=invalidated/);
      expect((await c.begin("GET", "/x")).kind).toBe("run");
    }
  });

  it("keeps the newest variants of a URL, up to the limit", async () => {
    const { begin } = core();
    const languages = Array.from({ length: MAX_VARIANTS + 4 }, (_, i) => `l${i}`);
    for (const language of languages) {
      await exchangeOf(await begin("GET", "/v", { "accept-language": language })).settle(
        text(language, { vary: "accept-language" }),
      );
    }
    const kinds: string[] = [];
    for (const language of languages) {
      const step = await begin("GET", "/v", { "accept-language": language });
      if (step.kind === "run") step.exchange.passThrough("aborted", 200);
      kinds.push(step.kind);
    }
    expect(kinds.filter((kind) => kind === "reply")).toHaveLength(MAX_VARIANTS);
    expect(kinds.slice(0, 4)).toEqual(["run", "run", "run", "run"]);
  });

  it("does not hand a waiter a variant its own request does not select", async () => {
    const { begin } = core();
    const leader = exchangeOf(await begin("GET", "/v", { "accept-language": "en" }));
    const waiter = begin("GET", "/v", { "accept-language": "fr" });
    await leader.settle(text("en", { vary: "Accept-Language" }));
    expect((await waiter).kind).toBe("run");
  });

  it("does not wait for a running handler when waitTimeout is 0", async () => {
    const { begin } = core({ waitTimeout: 0 });
    exchangeOf(await begin("GET", "/x"));
    expect((await begin("GET", "/x")).kind).toBe("run");
  });

  it("answers a HEAD miss with a bypass marked MISS, and a settled exchange once only", async () => {
    const { begin } = core();
    const head = await begin("HEAD", "/x");
    expect([head.kind, header(head, "x-cache"), header(head, "cache-status")]).toEqual([
      "bypass",
      "MISS",
      "keel; fwd=method; detail=head",
    ]);
    const exchange = exchangeOf(await begin("GET", "/x"));
    await exchange.settle(text("a"));
    const again = await exchange.settle(text("b", { "content-length": "1" }));
    expect([again.headers["x-cache"], again.headers["content-length"]]).toEqual([undefined, undefined]);
    expect(exchange.passThrough("too-large", 200)).toEqual([]);
    expect(exchange.fail(new Error("late"))).toBeUndefined();
  });

  it("releases the waiters when the handler throws and nothing stale can answer", async () => {
    const { begin, owner } = core();
    const exchange = exchangeOf(await begin("GET", "/x"));
    expect(owner.flights.size).toBe(1);
    expect(exchange.fail(new Error("boom"))).toBeUndefined();
    expect(owner.flights.size).toBe(0);
  });

  it("answers a thrown handler with the stale response within staleTtl", async () => {
    const { begin, advance } = core({ ttl: 10, staleTtl: 30 });
    await exchangeOf(await begin("GET", "/x")).settle(text("good", { "x-from-handler": "1" }));
    advance(15_000);
    const final = exchangeOf(await begin("GET", "/x")).fail(new Error("boom"));
    expect(final?.status).toBe(200);
    expect(final?.headers["x-cache"]).toBe("STALE");
    expect(final?.headers["x-from-handler"]).toBe("1");
    expect(new TextDecoder().decode(final?.body ?? new Uint8Array())).toBe("good");
  });

  it("does not store what is stale on arrival in HTTP mode", async () => {
    const { begin } = core({ mode: "http" });
    const final = await exchangeOf(await begin("GET", "/x")).settle(
      text("old", { "cache-control": "max-age=10", age: "20" }),
    );
    expect(final.headers["cache-status"]).toMatch(/detail=stale/);
    const noCache = await exchangeOf(await begin("GET", "/y")).settle(
      text("nc", { "cache-control": "no-cache" }),
    );
    expect(noCache.headers["cache-status"]).toMatch(/detail=no-cache/);
  });

  it("invalidates the URL on a write that passes through uncached, but not on a failed one", async () => {
    const { begin, cache } = core();
    await exchangeOf(await begin("GET", "/x")).settle(text("a"));
    exchangeOf(await begin("POST", "/x")).passThrough("too-large", 500);
    expect((await begin("GET", "/x")).kind).toBe("reply");
    expect(exchangeOf(await begin("POST", "/x")).passThrough("too-large", 201)).toEqual([]);
    await cache.has("flush"); // lets the invalidation land
    expect((await begin("GET", "/x")).kind).toBe("run");
    expect(exchangeOf(await begin("DELETE", "/x")).fail(new Error("x"))).toBeUndefined();
  });

  it("follows Location only to the request's own origin", () => {
    expect(sameOriginPath("/a/b?c#d", "h")).toBe("/a/b");
    expect(sameOriginPath("//evil.example/a", "h")).toBeUndefined();
    expect(sameOriginPath("https://H/a", "h")).toBe("/a");
    expect(sameOriginPath("https://other/a", "h")).toBeUndefined();
    expect(sameOriginPath("https://h/a", undefined)).toBeUndefined();
    expect(sameOriginPath("not a url", "h")).toBeUndefined();
  });
});
