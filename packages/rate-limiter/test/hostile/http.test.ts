import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { longString } from "../../../../reliability/lib/hostile.js";
import type { NodeRateLimitOptions } from "../../src/adapters/node.js";
import { rateLimitMiddleware } from "../../src/adapters/node.js";
import { memoryStore } from "../../src/stores/memory.js";

// The node:http middleware under hostile requests: spoofed forwarding headers, one client spelling
// its address many ways, garbage and oversized headers, and many distinct clients.

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(options: NodeRateLimitOptions): Promise<number> {
  const limit = rateLimitMiddleware(options);
  server = createServer(async (req, res) => {
    if (await limit(req, res))
      res.end(`ok ${(req as { rateLimit?: { remaining: number } }).rateLimit?.remaining}`);
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

function send(port: number, headers: Record<string, string> = {}, path = "/"): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, headers: { connection: "close", ...headers } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function statuses(port: number, headerSets: Record<string, string>[]): Promise<number[]> {
  const out: number[] = [];
  for (const headers of headerSets) out.push(await send(port, headers));
  return out;
}

describe("rateLimitMiddleware under hostile requests", () => {
  it("ignores spoofed X-Forwarded-For and Forwarded when no proxy is trusted", async () => {
    const port = await serve({ limit: 3, window: 60 });
    const spoofed = Array.from({ length: 6 }, (_, i) => ({
      "x-forwarded-for": `203.0.113.${i}`,
      forwarded: `for=198.51.100.${i}`,
    }));
    expect(await statuses(port, spoofed)).toEqual([200, 200, 200, 429, 429, 429]);
  });

  it("counts every spelling of one IPv6 client (and its /56) under one key behind a trusted proxy", async () => {
    const port = await serve({ limit: 7, window: 60, trustProxy: "loopback" });
    const spellings = [
      "2001:db8:0:12ab::9",
      "2001:DB8:0:12AB:0:0:0:9",
      "2001:0db8:0000:12ab:0000:0000:0000:0009",
      "[2001:db8:0:12ab::9]:443",
      "2001:db8:0:12ab::9%eth0",
      "2001:db8:0:1200::1", // another address of the same /56
      "2001:db8:0:12ff:ffff::1", // and another
    ];
    const sent: Record<string, string>[] = spellings.map((ip) => ({ "x-forwarded-for": ip }));
    sent.push({ forwarded: 'for="[2001:db8:0:12ab::9]:8080"' });
    expect(await statuses(port, sent)).toEqual([200, 200, 200, 200, 200, 200, 200, 429]);
    // Another /56 is another client.
    expect(await send(port, { "x-forwarded-for": "2001:db8:0:1300::1" })).toBe(200);
  });

  it("counts bare and IPv4-mapped spellings of one IPv4 client under one key", async () => {
    const port = await serve({ limit: 4, window: 60, trustProxy: "loopback" });
    const sent = [
      { "x-forwarded-for": "203.0.113.7" },
      { "x-forwarded-for": "::ffff:203.0.113.7" },
      { "x-forwarded-for": "[::ffff:cb00:7107]:80" },
      { forwarded: 'for="[::FFFF:203.0.113.7]"' },
      { "x-forwarded-for": "0:0:0:0:0:ffff:203.0.113.7" },
    ];
    expect(await statuses(port, sent)).toEqual([200, 200, 200, 200, 429]);
  });

  it("keys garbage and oversized forwarding headers by the trusted proxy, and stays up", async () => {
    const port = await serve({ limit: 3, window: 60, trustProxy: "loopback" });
    const sent = [
      { "x-forwarded-for": "unknown" },
      { "x-forwarded-for": `${longString(12_000, "x")}` },
      { forwarded: 'for="_hidden";by=";;;;", for=' },
      { "x-forwarded-for": "1.2.3.4.5, 999.1.1.1, ::g" },
    ];
    // All four fall back to the proxy's own address (127.0.0.1), so the fourth is refused.
    expect(await statuses(port, sent)).toEqual([200, 200, 200, 429]);
    expect(await send(port, { "x-forwarded-for": longString(20_000, "1") })).toBe(431); // Node's own header limit
    expect(await send(port, { "x-forwarded-for": "198.51.100.1" })).toBe(200);
  });

  it("bounds memory by the store's max while 5,000 distinct clients arrive through a trusted proxy", async () => {
    const store = memoryStore({ max: 500 });
    const port = await serve({ limit: 1, window: 60, trustProxy: true, store });
    const batches = 50;
    let ok = 0;
    for (let b = 0; b < batches; b++) {
      const codes = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          send(port, { "x-forwarded-for": `10.${b}.${i >> 8}.${i & 255}` }),
        ),
      );
      ok += codes.filter((c) => c === 200).length;
    }
    expect(ok).toBe(5_000); // each client's first request
    expect(store.size).toBe(500);
  });
});
