import { Agent, createServer, type IncomingMessage, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { hostileString } from "../../../../reliability/lib/hostile.js";
import { cacheMiddleware, type NodeCacheOptions } from "../../src/adapters/node.js";
import { createCache } from "../../src/cache.js";
import { IMPLICIT_KEY_HEADERS } from "../../src/middleware/cache-key.js";
import { memoryStore } from "../../src/stores/memory.js";

// cacheMiddleware (node:http) under poisoning attempts: an origin that reflects request headers and
// query strings into its body, as careless apps do, must never have an attacker's variant served to
// someone else; no request header bypasses or purges the cache; per-user entries stay per user
// whatever the user ids look like; a flood of distinct URLs stays within the store's bound.

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** A reflecting origin behind the middleware; `handled` counts handler runs. */
async function origin(
  options: NodeCacheOptions,
  reply?: (req: IncomingMessage) => { body: string; headers?: Record<string, string> },
) {
  const counter = { handled: 0 };
  const cache = cacheMiddleware(options);
  server = createServer(async (req, res) => {
    const user = req.headers["x-user"];
    if (typeof user === "string") (req as IncomingMessage & { user?: unknown }).user = { id: user };
    if (!(await cache(req, res))) return;
    counter.handled++;
    const out = reply?.(req) ?? {
      // Reflects what a careless app builds links from.
      body: JSON.stringify({ url: req.url, headers: req.headers, n: counter.handled }),
    };
    res.writeHead(200, { "content-type": "application/json", ...out.headers });
    res.end(out.body);
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const send = (path: string, headers: Record<string, string> = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            headers: res.headers,
          }),
        );
      });
      req.on("error", reject);
      req.end();
    });
  return { send, counter, cache: cache.cache };
}

const freshCache = () => createCache({ store: memoryStore({ max: 1_000 }) });
const agent = new Agent({ keepAlive: true, maxSockets: 50 });

describe("cacheMiddleware under cache-poisoning attempts", () => {
  it("never serves a response shaped by an unkeyed forwarding header to a request without it", async () => {
    const { send } = await origin({ ttl: 60, cache: freshCache() });
    const attacks = [...IMPLICIT_KEY_HEADERS, "forwarded"];
    for (const [i, name] of attacks.entries()) {
      const value = name === "forwarded" ? "host=evil.example;proto=http" : `evil-${i}.example`;
      const attacker = await send(`/page-${i}`, { [name]: value });
      expect(attacker.body).toContain("evil");
      for (let n = 0; n < 2; n++) {
        const victim = await send(`/page-${i}`);
        expect(victim.status).toBe(200);
        expect(victim.body).not.toContain("evil");
      }
    }
  });

  it("keys an encoded ampersand apart from a real one, and keeps the order of repeated parameters", async () => {
    const { send } = await origin({ ttl: 60, cache: freshCache() });
    const pairs: [string, string][] = [
      ["/q?a=1&b=2", "/q?a=1%26b%3D2"],
      ["/q?a=1&a=2", "/q?a=2&a=1"],
      ["/q?a=1", "/q?a=1%00"],
      ["/p/a%2Fb", "/p/a/b"],
      ["/p/A", "/p/a"],
      ["/p//a", "/p/a"],
    ];
    for (const [first, second] of pairs) {
      const one = JSON.parse((await send(first)).body) as { url: string };
      const two = JSON.parse((await send(second)).body) as { url: string };
      expect(one.url).toBe(first);
      expect(two.url).toBe(second);
    }
  });

  it("does not store or serve personalized responses: Authorization, session cookies, Set-Cookie", async () => {
    const { send, counter } = await origin({ ttl: 60, cache: freshCache() }, (req) => ({
      body: `for ${req.headers.authorization ?? req.headers.cookie ?? "anonymous"} #${counter.handled}`,
      ...(req.url === "/login" ? { headers: { "set-cookie": `sid=secret-${counter.handled}` } } : {}),
    }));
    expect((await send("/me", { authorization: "Bearer victim-token" })).body).toContain("victim-token");
    expect((await send("/me")).body).toContain("anonymous");
    expect((await send("/me", { cookie: "sid=abc123" })).body).toContain("sid=abc123");
    expect((await send("/me")).body).toContain("anonymous");
    const login = await send("/login");
    expect(login.headers["set-cookie"]).toBeDefined();
    const next = await send("/login");
    expect(next.headers["set-cookie"]).not.toEqual(login.headers["set-cookie"]);
  });

  it("lets no request header bypass or purge a cached route", async () => {
    const { send, counter } = await origin({ ttl: 60, cache: freshCache() });
    await send("/stable");
    const tricks = [
      { "cache-control": "no-cache" },
      { "cache-control": "no-store, max-age=0" },
      { pragma: "no-cache" },
      { "x-cache": "BYPASS" },
      { "cache-status": "keel; fwd=bypass" },
      { "surrogate-control": "no-store" },
      { "if-none-match": "*" },
    ];
    for (const headers of tricks) await send("/stable", headers);
    expect(counter.handled).toBe(1);
  });

  it("keeps per-user entries apart whatever the user ids look like", async () => {
    const { send } = await origin({ ttl: 60, private: true, cache: freshCache() }, (req) => ({
      body: `only for ${String(req.headers["x-user"])}`,
    }));
    const ids = fc
      .sample(hostileString(24), { numRuns: 150, seed: 5 })
      .map((id) => id.replace(/[^\x21-\x7e]/g, "")) // header-safe
      .filter((id) => id.length > 0);
    ids.push("a", "a u=b", "a%20u%3Db", "u=a", "*", "a:b", "a:b:c");
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 50) {
      await Promise.all(unique.slice(i, i + 50).map((id) => send("/progress", { "x-user": id })));
    }
    for (let i = 0; i < unique.length; i += 50) {
      const answers = await Promise.all(
        unique.slice(i, i + 50).map((id) => send("/progress", { "x-user": id })),
      );
      for (const [j, answer] of answers.entries()) expect(answer.body).toBe(`only for ${unique[i + j]}`);
    }
  });

  it("stays within the store's bound under 3,000 distinct query strings", async () => {
    const cache = createCache({ store: memoryStore({ max: 200 }) });
    const { send } = await origin({ ttl: 60, cache });
    for (let batch = 0; batch < 30; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) => send(`/search?q=${batch * 100 + i}&pad=${"x".repeat(500)}`)),
      );
    }
    const stats = await cache.getStats();
    expect(stats.size).toBeLessThanOrEqual(200);
    expect(stats.evictions).toBeGreaterThanOrEqual(2_800);
  }, 20_000);
});
