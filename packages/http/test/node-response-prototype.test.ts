import { createServer, get, type Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { beforeNodeHead, observeNodeResponse } from "../src/index.js";

// Responses shaped like Express makes them: a prototype of their own between them and
// ServerResponse.prototype, set per request.
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function serve(handler: (res: ServerResponse, index: number) => void): Promise<number> {
  const frameworkPrototype = Object.create(ServerResponse.prototype) as object;
  let index = 0;
  const created = createServer((_req, res) => {
    Object.setPrototypeOf(res, frameworkPrototype);
    handler(res, index++);
  });
  server = created;
  return new Promise((resolve) =>
    created.listen(0, "127.0.0.1", () => resolve((created.address() as AddressInfo).port)),
  );
}

function fetchHeaders(port: number): Promise<Record<string, string | string[] | undefined>> {
  return new Promise((resolve, reject) => {
    get({ host: "127.0.0.1", port, path: "/" }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.headers));
    }).on("error", reject);
  });
}

describe("head hooks on responses with a framework prototype", () => {
  it("run on each tapped response, and untapped responses of the same prototype are unaffected", async () => {
    const added: string[][] = [];
    const port = await serve((res, index) => {
      const before = new Set(Reflect.ownKeys(res));
      if (index % 2 === 0) {
        beforeNodeHead(res, (r) => r.setHeader("X-Hooked", String(index)));
        observeNodeResponse(res, () => undefined, { bytes: false, headers: false });
      }
      added.push(
        Reflect.ownKeys(res)
          .filter((k) => !before.has(k))
          .map(String),
      );
      res.end("ok");
    });
    const first = await fetchHeaders(port);
    const second = await fetchHeaders(port);
    const third = await fetchHeaders(port);
    expect([first["x-hooked"], second["x-hooked"], third["x-hooked"]]).toEqual(["0", undefined, "2"]);
    // One property per tapped response, the writeHead wrapper (the listeners live in _events).
    expect(added).toEqual([["writeHead"], [], ["writeHead"]]);
  });

  it("still runs the hooks when another library wrapped writeHead on the response first", async () => {
    const port = await serve((res) => {
      const original = res.writeHead;
      res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
        this.setHeader("X-Other", "1");
        return Reflect.apply(original, this, args) as ServerResponse;
      } as ServerResponse["writeHead"];
      beforeNodeHead(res, (r) => r.setHeader("X-Hooked", "yes"));
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end("ok");
    });
    const headers = await fetchHeaders(port);
    expect(headers).toMatchObject({ "x-hooked": "yes", "x-other": "1", "content-type": "text/plain" });
  });
});
