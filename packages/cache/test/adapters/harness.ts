// Pieces shared by the five framework harnesses: sending through supertest, and turning a
// backend response into each framework's idiom.
import { Agent, createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import request from "supertest";
import type { BackendResponse } from "./backend.js";
import type { AppRequest, AppResponse } from "./scenarios.js";

/** Response headers with lower-case names and repeated values joined. */
export function flatHeaders(headers: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined)
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}

/** A listening server for supertest, so concurrent requests share it. */
export async function listen(listener: RequestListener): Promise<Server> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Reused connections: the 1,000-user test sends thousands of requests. */
const agent = new Agent({ keepAlive: true, maxSockets: 100 });

/** Sends one request with supertest, reading the body as text whatever its type. */
export async function superSend(server: Server, req: AppRequest): Promise<AppResponse> {
  const method = (req.method ?? "GET").toLowerCase() as "get" | "head" | "post" | "put" | "patch" | "delete";
  const address = server.address() as AddressInfo;
  let test = request(`http://127.0.0.1:${address.port}`)[method](req.path).agent(agent);
  for (const [name, value] of Object.entries(req.headers ?? {})) test = test.set(name, value);
  const res = await test.buffer(true).parse((incoming, callback) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => callback(null, Buffer.concat(chunks).toString("utf8")));
  });
  return {
    status: res.status,
    headers: flatHeaders(res.headers),
    body: typeof res.body === "string" ? res.body : "",
  };
}

/** The body of a backend response as the kinds a Node framework accepts. */
export function nodeBody(out: BackendResponse): string | Buffer | Readable | undefined {
  if (out.json !== undefined) return JSON.stringify(out.json);
  if (out.text !== undefined) return out.text;
  if (out.buffer !== undefined) return out.buffer;
  if (out.chunks !== undefined) return Readable.from(out.chunks.map((chunk) => Buffer.from(chunk)));
  return undefined;
}
