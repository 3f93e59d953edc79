/**
 * A rough estimate, in bytes, of the memory a value holds: the default `sizeCalculation` of
 * `memoryStore` when `maxSize` is set. It walks the value once (cycles and shared objects counted
 * once) with V8-like costs: 2 bytes per string character plus a header, 8 per number, the
 * `byteLength` of buffers and typed arrays, 8 per array slot or property plus its key and value.
 * It is an estimate for bounding a cache, not a heap profiler; pass your own `sizeCalculation`
 * when you know better (e.g. `(value) => value.length` for strings).
 *
 * @example
 * ```ts
 * approximateSize("hello"); // 26: a 16-byte header and 2 bytes per character
 * approximateSize({ id: 1, tags: ["a"] }); // about 100
 * memoryStore({ maxSize: 50_000_000, sizeCalculation: approximateSize }); // the default, made explicit
 * ```
 */
export function approximateSize(value: unknown): number {
  return sizeOf(value, new Set());
}

const HEADER = 16;
const SLOT = 8;

function sizeOf(value: unknown, seen: Set<object>): number {
  switch (typeof value) {
    case "string":
      return HEADER + 2 * value.length;
    case "number":
      return SLOT;
    case "boolean":
      return 4;
    case "bigint":
      return HEADER + Math.ceil(value.toString(16).length / 2);
    case "object":
      return value === null ? 0 : objectSize(value, seen);
    default:
      // undefined, symbols and functions: a slot that points at them.
      return SLOT;
  }
}

function objectSize(value: object, seen: Set<object>): number {
  if (seen.has(value)) return SLOT;
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return HEADER + value.byteLength;
  if (value instanceof Date) return HEADER + SLOT;
  let total = HEADER;
  if (Array.isArray(value)) {
    for (const item of value) total += SLOT + sizeOf(item, seen);
    return total;
  }
  if (value instanceof Map) {
    for (const [key, item] of value) total += 2 * SLOT + sizeOf(key, seen) + sizeOf(item, seen);
    return total;
  }
  if (value instanceof Set) {
    for (const item of value) total += SLOT + sizeOf(item, seen);
    return total;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    total += SLOT + 2 * key.length + sizeOf((value as Record<string, unknown>)[key], seen);
  }
  return total;
}
