// The Node side shared by the Express and node:http adapters (and the request edits Koa and
// Fastify use): replies written on a ServerResponse, and a run whose response is held back until it
// is complete, so the cache can store it, give it an ETag, or turn it into a 304 before it leaves.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { nodeRequestView, setNodeHeaders } from "@keel/http";
import type { ResponseCache } from "../middleware/response-cache.js";
import type { Exchange, FinalResponse, HeaderPairs, ReplyStep } from "../middleware/steps.js";
import type { ResponseHeaders } from "../middleware/stored-response.js";

/** Header pairs as a record (for APIs that take one). */
export function headerRecord(pairs: HeaderPairs): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of pairs) record[name] = value;
  return record;
}

/** Node's `getHeaders()` with every value a string or a list of strings. */
export function nodeHeaders(headers: OutgoingHttpHeaders): ResponseHeaders {
  const out: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = typeof value === "object" ? value.map(String) : String(value);
  }
  return out;
}

/** Applies the exchange's request edits: the client's conditionals out, revalidation validators in. */
export function editNodeRequest(req: IncomingMessage, exchange: Exchange): void {
  for (const name of exchange.removeRequestHeaders) delete req.headers[name];
  for (const [name, value] of exchange.setRequestHeaders) req.headers[name] = value;
}

/** Whether a status never carries a body (so no Content-Length is written for it). */
export function bodiless(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}

/** Sends a reply from the cache; nothing when the response already started. */
export function sendNodeStep(res: ServerResponse, method: string, step: ReplyStep): void {
  if (res.headersSent || res.writableEnded) return;
  res.statusCode = step.status;
  for (const [name, value] of step.headers) res.setHeader(name, value);
  if (step.body === null) {
    res.removeHeader("content-length");
    res.end();
    return;
  }
  res.setHeader("content-length", step.body.byteLength);
  if (method === "HEAD") res.end();
  else res.end(step.body);
}

type Method = (this: ServerResponse, ...args: unknown[]) => unknown;

function applyHeaderArgument(res: ServerResponse, headers: unknown): void {
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      res.setHeader(String(headers[i]), headers[i + 1] as string);
  } else if (typeof headers === "object" && headers !== null) {
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
  }
}

function isEventStream(res: ServerResponse): boolean {
  const type = res.getHeader("content-type");
  return typeof type === "string" && type.toLowerCase().startsWith("text/event-stream");
}

/**
 * Holds the handler's response back until it ends, then sends what `exchange.settle` decides. A
 * body past `maxBodySize`, an event stream or an explicit `flushHeaders()` makes it pass through
 * as written (uncached). Works under other wrappers of the same response (`@keel/http`'s taps,
 * compression), installed before or after: ours stay in place and delegate once done.
 */
export function interceptNodeResponse(
  res: ServerResponse,
  exchange: Exchange,
  preset: readonly string[],
): void {
  const original = {
    writeHead: res.writeHead as unknown as Method,
    write: res.write as unknown as Method,
    end: res.end as unknown as Method,
    flushHeaders: res.flushHeaders as unknown as Method,
  };
  let state: "buffering" | "passing" | "settling" = "buffering";
  let chunks: Buffer[] = [];
  let size = 0;

  const passThrough = (reason: "too-large" | "streaming" | "aborted"): void => {
    state = "passing";
    const headers = exchange.passThrough(reason, res.statusCode);
    if (!res.headersSent && !res.destroyed) for (const [name, value] of headers) res.setHeader(name, value);
    const held = chunks;
    chunks = [];
    for (const chunk of held) original.write.call(res, chunk);
  };
  const hold = (chunk: unknown, encoding: unknown): void => {
    if (chunk === undefined || chunk === null || typeof chunk === "function") return;
    const bytes =
      typeof chunk === "string"
        ? Buffer.from(chunk, typeof encoding === "string" && Buffer.isEncoding(encoding) ? encoding : "utf8")
        : Buffer.from(chunk as Uint8Array);
    chunks.push(bytes);
    size += bytes.byteLength;
  };
  const deliver = (final: FinalResponse, callback: unknown): void => {
    state = "passing";
    if (res.destroyed || res.headersSent) return;
    if (final.status !== res.statusCode) res.statusMessage = "";
    res.statusCode = final.status;
    for (const name of res.getHeaderNames()) if (!(name in final.headers)) res.removeHeader(name);
    for (const [name, value] of Object.entries(final.headers))
      res.setHeader(name, value as string | string[]);
    const body = final.body === null || bodiless(final.status) ? undefined : Buffer.from(final.body);
    if (body !== undefined) res.setHeader("content-length", body.byteLength);
    const done = typeof callback === "function" ? [callback] : [];
    original.end.call(res, ...(body === undefined ? done : [body, ...done]));
  };

  res.on("close", () => {
    if (state === "buffering") passThrough("aborted");
  });

  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (state === "passing") return original.writeHead.call(this, status, ...rest);
    const reason = typeof rest[0] === "string" ? rest[0] : undefined;
    if (reason !== undefined) this.statusMessage = reason;
    applyHeaderArgument(this, reason === undefined ? rest[0] : rest[1]);
    this.statusCode = status;
    if (state === "buffering" && isEventStream(this)) {
      passThrough("streaming");
      return original.writeHead.call(this, status);
    }
    return this;
  } as ServerResponse["writeHead"];

  res.flushHeaders = function (this: ServerResponse) {
    if (state === "buffering") passThrough("streaming");
    return original.flushHeaders.call(this);
  } as ServerResponse["flushHeaders"];

  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    if (state === "passing") return original.write.call(this, chunk, ...rest);
    hold(chunk, rest[0]);
    if (state === "buffering" && (size > exchange.maxBodySize || isEventStream(this))) {
      passThrough(isEventStream(this) ? "streaming" : "too-large");
    }
    const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
    if (callback !== undefined) process.nextTick(callback);
    return true;
  } as ServerResponse["write"];

  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (state !== "buffering") return original.end.call(this, ...args);
    const callback = args.find((arg) => typeof arg === "function");
    hold(args[0], args[1]);
    if (size > exchange.maxBodySize) {
      passThrough("too-large");
      return original.end.call(this, ...(callback === undefined ? [] : [callback]));
    }
    state = "settling";
    const body = Buffer.concat(chunks, size);
    chunks = [];
    const captured = { status: this.statusCode, headers: nodeHeaders(this.getHeaders()), body, preset };
    exchange.settle(captured).then(
      (final) => deliver(final, callback),
      (error: unknown) => {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)));
        deliver({ status: captured.status, headers: captured.headers, body }, callback);
      },
    );
    return this;
  } as ServerResponse["end"];
}

/**
 * One request through the cache on a Node response. Resolves to `true` when the handler must run
 * (with the response held back for the cache when it is a run), `false` when the cache answered.
 */
export async function runNodeCache<Req>(
  core: ResponseCache<Req>,
  req: IncomingMessage,
  res: ServerResponse,
  framework: Req,
): Promise<boolean> {
  const view = nodeRequestView(req);
  const step = await core.begin({
    view,
    req: framework,
    user: framework,
    headerNames: Object.keys(req.headers),
  });
  switch (step.kind) {
    case "pass":
      return true;
    case "reply":
      sendNodeStep(res, view.method, step);
      return false;
    case "bypass":
      setNodeHeaders(res, headerRecord(step.headers));
      return true;
    default:
      editNodeRequest(req, step.exchange);
      interceptNodeResponse(res, step.exchange, res.getHeaderNames());
      return true;
  }
}
