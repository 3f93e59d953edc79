// Buffering a streamed body up to a limit, and replaying what was read when it turns out larger,
// for any async-iterable source: Node streams (Koa, Fastify) and Web streams (Hono) alike.

/** A body read whole, or the part read before it went past the limit and the rest still unread. */
export type CollectedBody =
  | { readonly complete: true; readonly body: Uint8Array }
  | { readonly complete: false; readonly head: readonly Uint8Array[]; readonly rest: AsyncIterator<unknown> };

const encoder = new TextEncoder();

/** A chunk as bytes: strings as UTF-8 (what a Node stream without an encoding would send). */
export function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === "string") return encoder.encode(chunk);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new TypeError(`a response body chunk must be bytes or a string, got ${typeof chunk}`);
}

/** Joins chunks into one array of `size` bytes. */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/**
 * Reads `source` until it ends or more than `maxBytes` have been read. The iterator is advanced
 * by hand (never `return()`ed), so an oversized body can still be sent on with {@link replayBody}.
 */
export async function collectBody(source: AsyncIterable<unknown>, maxBytes: number): Promise<CollectedBody> {
  const iterator = source[Symbol.asyncIterator]();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return { complete: true, body: concatBytes(chunks, size) };
    const bytes = toBytes(next.value);
    chunks.push(bytes);
    size += bytes.byteLength;
    if (size > maxBytes) return { complete: false, head: chunks, rest: iterator };
  }
}

/** The whole body of an oversized read: the chunks already read, then the rest of the source. */
export async function* replayBody(
  collected: CollectedBody & { complete: false },
): AsyncGenerator<Uint8Array> {
  yield* collected.head;
  for (;;) {
    const next = await collected.rest.next();
    if (next.done === true) return;
    yield toBytes(next.value);
  }
}
