/** What one process tells the others to drop from their L1. */
export type Invalidation =
  | { readonly kind: "keys"; readonly keys: readonly string[] }
  | { readonly kind: "pattern"; readonly pattern: string }
  | { readonly kind: "tags"; readonly tags: readonly string[] }
  | { readonly kind: "clear" };

/** An invalidation and the instance that sent it (so it can ignore its own). */
export interface InvalidationMessage {
  readonly from: string;
  readonly invalidation: Invalidation;
}

/** The message text: JSON `{ "from": id, "kind": ..., "keys" | "pattern" | "tags": ... }`. */
export function encodeInvalidation(from: string, invalidation: Invalidation): string {
  return JSON.stringify({ from, ...invalidation });
}

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === "string");

/** Reads a message; undefined for anything this version did not write (another publisher on the channel). */
export function decodeInvalidation(text: string): InvalidationMessage | undefined {
  let data: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null) return undefined;
    data = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { from } = data;
  if (typeof from !== "string") return undefined;
  switch (data.kind) {
    case "keys":
      return isStringList(data.keys) ? { from, invalidation: { kind: "keys", keys: data.keys } } : undefined;
    case "pattern":
      return typeof data.pattern === "string"
        ? { from, invalidation: { kind: "pattern", pattern: data.pattern } }
        : undefined;
    case "tags":
      return isStringList(data.tags) ? { from, invalidation: { kind: "tags", tags: data.tags } } : undefined;
    case "clear":
      return { from, invalidation: { kind: "clear" } };
    default:
      return undefined;
  }
}
