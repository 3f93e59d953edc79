import { CacheError } from "../../errors.js";
import type { CacheEntry } from "../../types.js";

/**
 * The stored form of one entry, one Redis string, so a `get` is one `GET`:
 *
 * ```
 * 1,<expiresAt>,<staleUntil>,<s|b>,<tag count>,<tag 1 UTF-8 byte length>,<tag 1>...<payload>
 * ```
 *
 * `s` marks a text payload, `b` a binary one (the serializer returned a Buffer). The tag count is
 * empty when the entry had no `tags` at all, so `[]` and absent round-trip apart. Tags are
 * length-prefixed rather than JSON, so any tag text is safe and the Lua tag check (see `scripts.ts`)
 * reads the header with `string.find` alone. Times are epoch ms written as JavaScript prints them.
 */
const VERSION = "1";

/** Builds the stored value for `entry` around its already-serialized `payload`. */
export function encodeEnvelope(entry: CacheEntry, payload: string | Buffer): string | Buffer {
  const binary = typeof payload !== "string";
  let header = `${VERSION},${entry.expiresAt},${entry.staleUntil},${binary ? "b" : "s"},`;
  if (entry.tags === undefined) header += ",";
  else {
    header += `${entry.tags.length},`;
    for (const tag of entry.tags) header += `${Buffer.byteLength(tag)},${tag}`;
  }
  return binary ? Buffer.concat([Buffer.from(header), payload]) : header + payload;
}

/** An entry read back, its payload still serialized. */
export interface DecodedEnvelope {
  readonly expiresAt: number;
  readonly staleUntil: number;
  readonly tags: readonly string[] | undefined;
  readonly payload: string | Buffer;
}

function corrupt(detail: string): CacheError {
  return new CacheError(
    "ERR_KEEL_CACHE_SERIALIZE",
    `redisStore: a stored entry is not in the format this version writes (${detail}); was the key written by something else under this prefix? Delete it or use another prefix`,
  );
}

/** Reads a stored value (a Buffer, or a string from a client that cannot give Buffers). */
export function decodeEnvelope(reply: Buffer | string): DecodedEnvelope {
  const bytes = typeof reply === "string" ? Buffer.from(reply) : reply;
  let at = 0;
  const field = (): string => {
    const comma = bytes.indexOf(0x2c, at);
    if (comma < 0) throw corrupt("a header field is missing");
    const text = bytes.toString("latin1", at, comma);
    at = comma + 1;
    return text;
  };
  const number = (): number => {
    const text = field();
    const value = Number(text);
    if (text === "" || Number.isNaN(value)) throw corrupt(`${JSON.stringify(text)} is not a number`);
    return value;
  };
  if (field() !== VERSION) throw corrupt("unknown version");
  const expiresAt = number();
  const staleUntil = number();
  const kind = field();
  if (kind !== "s" && kind !== "b") throw corrupt("unknown payload kind");
  let tags: string[] | undefined;
  if (bytes[at] === 0x2c) at++;
  else {
    const count = number();
    tags = [];
    for (let i = 0; i < count; i++) {
      const length = number();
      if (at + length > bytes.length) throw corrupt("a tag runs past the end");
      tags.push(bytes.toString("utf8", at, at + length));
      at += length;
    }
  }
  if (kind === "b" && typeof reply === "string") {
    throw new CacheError(
      "ERR_KEEL_CACHE_SERIALIZE",
      "redisStore: a binary entry came back as text; make `sendCommand` return Buffers for bulk replies, or use a serializer that returns strings",
    );
  }
  return {
    expiresAt,
    staleUntil,
    tags,
    payload: kind === "s" ? bytes.toString("utf8", at) : bytes.subarray(at),
  };
}
