import type { CacheStore } from "../../src/types.js";

/** How the wrapped store answers: normally, by rejecting, or never. */
export type ChaosMode = "ok" | "fail" | "hang";

/** Operations a chaos store can break, and counts calls to. */
export type ChaosOperation =
  | "get"
  | "set"
  | "delete"
  | "clear"
  | "keys"
  | "invalidate"
  | "invalidateTags"
  | "size"
  | "close";

/**
 * A real store behind a switch, to inject failures and latency (as bentocache's chaos tests do).
 * It does not register a synchronous path, so a cache on it takes the remote (async) code path.
 */
export interface ChaosStore extends CacheStore {
  /** Sets how every operation (or the listed ones) answers from now on. */
  mode(mode: ChaosMode, operations?: readonly ChaosOperation[]): void;
  /** Calls made per operation. */
  readonly calls: Record<ChaosOperation, number>;
}

export function chaosStore(inner: CacheStore): ChaosStore {
  const modes = new Map<ChaosOperation, ChaosMode>();
  const calls = {
    get: 0,
    set: 0,
    delete: 0,
    clear: 0,
    keys: 0,
    invalidate: 0,
    invalidateTags: 0,
    size: 0,
    close: 0,
  };
  const run = <T>(operation: ChaosOperation, answer: () => Promise<T>): Promise<T> => {
    calls[operation]++;
    const mode = modes.get(operation) ?? "ok";
    if (mode === "fail") return Promise.reject(new Error(`chaos: ${operation} failed`));
    if (mode === "hang") return new Promise<T>(() => {});
    return answer();
  };
  return {
    name: "chaos",
    capabilities: { liveValues: false, shared: false },
    calls,
    mode(mode, operations = Object.keys(calls) as ChaosOperation[]) {
      for (const operation of operations) modes.set(operation, mode);
    },
    get: (key) => run("get", () => inner.get(key)),
    set: (key, entry) => run("set", () => inner.set(key, entry)),
    delete: (key) => run("delete", () => inner.delete(key)),
    clear: () => run("clear", () => inner.clear()),
    keys(pattern) {
      const iterator = inner.keys(pattern)[Symbol.asyncIterator]();
      return { [Symbol.asyncIterator]: () => ({ next: () => run("keys", () => iterator.next()) }) };
    },
    invalidate: (pattern) => run("invalidate", () => inner.invalidate(pattern)),
    invalidateTags: (tags) => run("invalidateTags", () => inner.invalidateTags(tags)),
    size: () => run("size", () => inner.size()),
    onEvict: (listener) => inner.onEvict(listener),
    close: () => run("close", () => inner.close()),
  };
}
