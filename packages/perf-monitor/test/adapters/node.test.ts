import { createServer, get, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { middleware } from "../../src/adapters/node.js";
import { createMonitor, type RequestRecord } from "../../src/index.js";

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}

describe("node:http middleware", () => {
  it("records a request whose client went away as aborted, and counts it as an error", async () => {
    const monitor = createMonitor();
    let resolveRecord: (r: RequestRecord) => void = () => {};
    const recorded = new Promise<RequestRecord>((resolve) => {
      resolveRecord = resolve;
    });
    const timing = middleware({ monitor, route: () => "/slow", observers: [(r) => resolveRecord(r)] });
    const server = createServer((req, res) =>
      timing(req, res, () => {
        res.writeHead(200);
        res.write("partial"); // never ends: the client hangs up first
      }),
    );
    const port = await listen(server);
    try {
      await new Promise<void>((resolve) => {
        const req = get({ host: "127.0.0.1", port, path: "/slow" }, (res) => {
          res.once("data", () => {
            req.destroy();
            resolve();
          });
        });
        req.on("error", () => undefined);
      });
      const record = await recorded;
      expect(record).toMatchObject({ name: "GET /slow", aborted: true, statusCode: 200 });
      expect(monitor.getMetrics("GET /slow")).toMatchObject({ count: 1, errors: 1 });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("works without a next function and files everything as unmatched by default", async () => {
    const monitor = createMonitor();
    const timing = middleware({ monitor });
    let resolveRecord: () => void = () => {};
    const done = new Promise<void>((resolve) => {
      resolveRecord = resolve;
    });
    const server = createServer((req, res) => {
      timing(req, res);
      res.on("finish", () => setImmediate(resolveRecord));
      res.end("ok");
    });
    const port = await listen(server);
    try {
      await new Promise<void>((resolve, reject) =>
        get({ host: "127.0.0.1", port, path: "/anything/123" }, (res) => res.resume().on("end", resolve)).on(
          "error",
          reject,
        ),
      );
      await done;
      expect(Object.keys(monitor.getAllMetrics())).toEqual(["GET (unmatched)"]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("rejects a route option that is not a function", () => {
    expect(() => middleware({ route: "/x" as never })).toThrow(
      expect.objectContaining({
        code: "ERR_KEEL_PERF_MONITOR_OPTION",
        message: expect.stringContaining("route"),
      }),
    );
  });
});
