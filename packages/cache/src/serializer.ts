import { CacheError } from "./errors.js";

/**
 * Turns values into bytes for a remote store (Redis) and back. Memory stores never serialize: they
 * hold live values. A serializer may return a string or a `Buffer`; a store hands `deserialize`
 * back exactly the kind `serialize` returned.
 *
 * Both methods may throw; a store reports what they throw as a store error (counted, emitted, and
 * a miss for `get`), so a throwing serializer never crashes a caller.
 *
 * @example
 * ```ts
 * import { encode, decode } from "@msgpack/msgpack";
 * const msgpack: Serializer = {
 *   serialize: (value) => Buffer.from(encode(value)),
 *   deserialize: (data) => decode(data as Buffer),
 * };
 * redisStore({ client, serializer: msgpack });
 * ```
 */
export interface Serializer {
  /** Encodes `value`; throws (preferably a `CacheError`) for a value it cannot encode. */
  serialize(value: unknown): string | Buffer;
  /** Decodes what `serialize` produced: a string when it returned a string, a `Buffer` otherwise. */
  deserialize(data: string | Buffer): unknown;
}

/** The key that marks a tagged object in the encoded JSON. Plain objects using it are escaped. */
const TAG = "$t";

const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

type Path = (string | number)[];

function fail(what: string, path: Path, cause?: unknown): never {
  const at =
    path.length === 0 ? "the value itself" : `$${path.map((p) => `[${JSON.stringify(p)}]`).join("")}`;
  const message = `${what} (at ${at}); store it in another shape or pass a custom serializer`;
  throw new CacheError("ERR_KEEL_CACHE_SERIALIZE", message, { cause });
}

/** Assigns without invoking the `__proto__` setter, so a key named `__proto__` stays a plain key. */
function assign(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else target[key] = value;
}

function bytesOf(view: ArrayBufferView | ArrayBuffer): string {
  const bytes = ArrayBuffer.isView(view)
    ? Buffer.from(view.buffer, view.byteOffset, view.byteLength)
    : Buffer.from(view);
  return bytes.toString("base64");
}

function encode(value: unknown, ancestors: Set<object>, path: Path): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // JSON would turn NaN and the infinities into null and -0 into 0.
      if (Number.isFinite(value) && !Object.is(value, -0)) return value;
      return { [TAG]: "Number", v: Object.is(value, -0) ? "-0" : String(value) };
    case "bigint":
      return { [TAG]: "BigInt", v: value.toString() };
    case "undefined":
      return { [TAG]: "undefined" };
    case "object":
      return value === null ? null : encodeObject(value, ancestors, path);
    default:
      return fail(`cannot serialize a ${typeof value}`, path);
  }
}

function encodeObject(value: object, ancestors: Set<object>, path: Path): unknown {
  // Only the objects on the current path count: a value shared by two branches is not a cycle.
  if (ancestors.has(value)) fail("cannot serialize a cyclic value", path);
  ancestors.add(value);
  const child = (v: unknown, segment: string | number): unknown => {
    path.push(segment);
    const out = encode(v, ancestors, path);
    path.pop();
    return out;
  };
  try {
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = child(value[i], i);
      return out;
    }
    if (value instanceof Date) {
      const time = value.getTime();
      return { [TAG]: "Date", v: Number.isNaN(time) ? null : time };
    }
    if (value instanceof Map) {
      let i = 0;
      const entries: unknown[] = [];
      for (const [k, v] of value) {
        entries.push([child(k, `<map key ${i}>`), child(v, `<map value ${i}>`)]);
        i++;
      }
      return { [TAG]: "Map", v: entries };
    }
    if (value instanceof Set) {
      let i = 0;
      const members: unknown[] = [];
      for (const member of value) members.push(child(member, `<set member ${i++}>`));
      return { [TAG]: "Set", v: members };
    }
    if (Buffer.isBuffer(value)) return { [TAG]: "Buffer", v: bytesOf(value) };
    if (ArrayBuffer.isView(value)) {
      const name = value.constructor.name;
      if (!(name in TYPED_ARRAYS)) fail(`cannot serialize a ${name}`, path);
      return { [TAG]: name, v: bytesOf(value) };
    }
    if (value instanceof ArrayBuffer) return { [TAG]: "ArrayBuffer", v: bytesOf(value) };
    if (value instanceof Number || value instanceof String || value instanceof Boolean) {
      return encode(value.valueOf(), ancestors, path);
    }
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return encode(toJSON.call(value, path.at(-1) ?? ""), ancestors, path);
    return encodePlain(value as Record<string, unknown>, child);
  } finally {
    ancestors.delete(value);
  }
}

function encodePlain(
  value: Record<string, unknown>,
  child: (v: unknown, segment: string) => unknown,
): unknown {
  const keys = Object.keys(value);
  if (keys.includes(TAG)) {
    // Escaped as an entry list, so the decoder never mistakes user data for a tagged object.
    return { [TAG]: "Object", v: keys.map((key) => [key, child(value[key], key)]) };
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) assign(out, key, child(value[key], key));
  return out;
}

function bytes(data: unknown): Buffer {
  if (typeof data !== "string") throw new TypeError("expected base64 text");
  return Buffer.from(data, "base64");
}

function entries(data: unknown): unknown[][] {
  if (!Array.isArray(data) || !data.every((e) => Array.isArray(e) && e.length === 2)) {
    throw new TypeError("expected a list of [key, value] pairs");
  }
  return data as unknown[][];
}

function decodeTagged(tag: unknown, data: unknown): unknown {
  switch (tag) {
    case "undefined":
      return undefined;
    case "Number":
    case "BigInt":
      if (typeof data !== "string") throw new TypeError(`expected text for ${tag}`);
      return tag === "Number" ? Number(data) : BigInt(data);
    case "Date":
      return new Date(data === null ? Number.NaN : (data as number));
    case "Map":
      return new Map(entries(data).map(([k, v]) => [decode(k), decode(v)]));
    case "Set":
      if (!Array.isArray(data)) throw new TypeError("expected a list of Set members");
      return new Set(data.map(decode));
    case "Object": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of entries(data)) assign(out, String(k), decode(v));
      return out;
    }
    case "Buffer":
      return bytes(data);
    case "ArrayBuffer": {
      const b = bytes(data);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    }
    default: {
      if (typeof tag !== "string" || !Object.hasOwn(TYPED_ARRAYS, tag)) {
        throw new TypeError(`unknown type tag ${JSON.stringify(tag)}`);
      }
      const b = bytes(data);
      const Ctor = TYPED_ARRAYS[tag as TypedArrayName];
      // Copy into a fresh, aligned buffer: a base64 decode may land at any byte offset.
      const copy = new Uint8Array(b.byteLength);
      copy.set(b);
      return new Ctor(copy.buffer);
    }
  }
}

function decode(node: unknown): unknown {
  if (node === null || typeof node !== "object") return node;
  if (Array.isArray(node)) return node.map((item) => decode(item));
  const record = node as Record<string, unknown>;
  if (Object.hasOwn(record, TAG)) return decodeTagged(record[TAG], record.v);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) assign(out, key, decode(record[key]));
  return out;
}

/**
 * The default serializer: JSON text that also restores `Date` (invalid dates too), `Map`, `Set`,
 * `BigInt`, `Buffer`, `Uint8Array` and the other typed arrays, `ArrayBuffer`, `undefined` (inside
 * arrays, objects, maps and sets, and on its own), `NaN`, `±Infinity` and `-0`, nested to any depth.
 * Plain objects that happen to use its marker key `$t` round-trip too.
 *
 * Everything else is encoded as `JSON.stringify` would: class instances lose their prototype (a
 * `toJSON` method is honoured), boxed primitives are unwrapped. Values JSON would drop silently are
 * refused instead: a function, a symbol, a cycle (`a.self = a`) or nesting deep enough to exhaust
 * the stack throw a `CacheError` with code `ERR_KEEL_CACHE_SERIALIZE` naming where it was found.
 * Shared references are fine but are restored as separate copies. `deserialize` throws the same
 * code, with the parse error as `cause`, for text it did not produce.
 *
 * @example
 * ```ts
 * const text = jsonSerializer.serialize({ at: new Date(0), ids: new Set([1n, 2n]) });
 * jsonSerializer.deserialize(text); // { at: Date(0), ids: Set { 1n, 2n } }
 * ```
 */
export const jsonSerializer: Serializer = {
  serialize(value: unknown): string {
    try {
      return JSON.stringify(encode(value, new Set(), []));
    } catch (error) {
      if (error instanceof RangeError) {
        fail("cannot serialize a value nested this deeply", [], error);
      }
      throw error;
    }
  },
  deserialize(data: string | Buffer): unknown {
    try {
      return decode(JSON.parse(typeof data === "string" ? data : data.toString("utf8")));
    } catch (error) {
      throw new CacheError(
        "ERR_KEEL_CACHE_SERIALIZE",
        "cannot deserialize a cached value: it was not written by jsonSerializer (or was truncated); clear the entry or use the serializer that wrote it",
        { cause: error },
      );
    }
  },
};
