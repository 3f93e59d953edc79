// Response bodies as Koa holds them in `ctx.body`: bytes, text, a
// Node or Web stream, or (Koa) a value to send as JSON. Read whole up to the limit, or handed back
// as a stream that replays what was read when the body is larger.
import { Readable } from "node:stream";
import { type CollectedBody, collectBody, replayBody } from "../middleware/body.js";

/** A body read for the cache: whole, too large (with a stream of all of it), or not readable. */
export type ReadBody =
  | { readonly kind: "bytes"; readonly body: Uint8Array }
  | { readonly kind: "too-large"; readonly stream: Readable }
  | { readonly kind: "other" };

const EMPTY = new Uint8Array(0);

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })?.[Symbol.asyncIterator] === "function";
}

/**
 * Reads a body value: `null`/`undefined` as empty, strings as UTF-8, bytes as they are, streams up
 * to `maxBytes`, and with `json` any other value as `JSON.stringify` (what Koa sends for it).
 * Blobs, `Response` objects and other values come back as `other`: the cache leaves them alone.
 */
export async function readBody(value: unknown, maxBytes: number, json: boolean): Promise<ReadBody> {
  if (value === null || value === undefined) return { kind: "bytes", body: EMPTY };
  if (typeof value === "string") return { kind: "bytes", body: Buffer.from(value) };
  if (value instanceof Uint8Array) return { kind: "bytes", body: value };
  if (
    isAsyncIterable(value) &&
    (typeof (value as Readable).pipe === "function" || value instanceof ReadableStream)
  ) {
    const collected: CollectedBody = await collectBody(value, maxBytes);
    if (collected.complete) return { kind: "bytes", body: collected.body };
    return { kind: "too-large", stream: Readable.from(replayBody(collected)) };
  }
  if (json && typeof value === "object" && !(value instanceof Blob) && !(value instanceof Response)) {
    return { kind: "bytes", body: Buffer.from(JSON.stringify(value)) };
  }
  return { kind: "other" };
}

/** Bytes as a Buffer without copying. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
