import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { hostileString, longString } from "../../../../reliability/lib/hostile.js";
import { middleware } from "../../src/adapters/node.js";
import { createMonitor } from "../../src/monitor.js";

// The node:http middleware under hostile requests and hostile timing names: the number of series
// stays bounded, no raw URL becomes a metric name, and no timing name can inject a header.

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(
  handler: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void,
  monitor = createMonitor({ maxMetrics: 20, logger: { warn: () => {} } }),
) {
  const timing = middleware({ monitor, route: (req) => (req.url === "/known" ? "/known" : undefined) });
  server = createServer((req, res) => timing(req, res, () => handler(req, res)));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, monitor };
}

const agent = new Agent({ keepAlive: true, maxSockets: 20 });

function send(port: number, path: string, method = "GET", headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown> }>((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, method, agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on("error", () => resolve({ status: 0, headers: {} }));
    req.end();
  });
}

describe("perf-monitor middleware under hostile requests", () => {
  it("names 1,000 distinct hostile URLs under bounded series, never by their raw path", async () => {
    const { port, monitor } = await serve((_req, res) => res.end("ok"));
    const encode = (s: string) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, "\uFFFD"));
    const paths = fc
      .sample(hostileString(60), { numRuns: 1_000, seed: 7 })
      .map((s, i) => `/${encode(s)}/${i}?q=${encode(s)}`);
    paths.push(`/${longString(8_000, "p")}`, "/%00%ff%fe", "/..%2f..%2fetc%2fpasswd", "/known");
    const methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PROPFIND"];
    for (let i = 0; i < paths.length; i += 50) {
      await Promise.all(
        paths.slice(i, i + 50).map((path, j) => send(port, path, methods[(i + j) % methods.length])),
      );
    }
    const names = Object.keys(monitor.getAllMetrics());
    expect(names.length).toBeLessThanOrEqual(21);
    for (const name of names) expect(name).toMatch(/^(\(overflow\)|[A-Z]+ (\(unmatched\)|\/known))$/);
    const counted = Object.values(monitor.getAllMetrics()).reduce((sum, m) => sum + m.count, 0);
    expect(counted).toBe(paths.length);
  }, 20_000);

  it("keeps hostile timing names from injecting headers into Server-Timing", async () => {
    const names = [
      ...fc.sample(hostileString(30), { numRuns: 200, seed: 11 }),
      "db\r\nSet-Cookie: owned=1",
      "x;dur=999999, evil",
    ];
    let i = 0;
    const { port } = await serve((req, res) => {
      const perf = (req as unknown as { perf?: { start(name: string): () => number } }).perf;
      try {
        perf?.start(names[i++ % names.length] as string)();
      } catch {
        // An empty name is refused with a PerfMonitorError: the request still gets its answer.
      }
      res.end("ok");
    });
    for (let n = 0; n < names.length; n++) {
      const answer = await send(port, "/known");
      expect(answer.status).toBe(200);
      expect(answer.headers["set-cookie"]).toBeUndefined();
      const timing = String(answer.headers["server-timing"]);
      expect(timing).toMatch(/^total;dur=[0-9.]+(, [!#$%&'*+\-.^_`|~0-9A-Za-z]+;dur=[0-9.]+)?$/);
    }
  });
});
