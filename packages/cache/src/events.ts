import type { CacheError } from "./errors.js";
import type { EvictionReason } from "./types.js";

/**
 * The cache operation during which an `error` event happened.
 *
 * @example
 * ```ts
 * cache.events.on("error", ({ operation, key }) => console.warn(`cache ${operation} failed for ${key ?? "-"}`));
 * ```
 */
export type CacheOperation =
  | "get"
  | "set"
  | "delete"
  | "clear"
  | "has"
  | "getOrSet"
  | "invalidate"
  | "invalidateTags"
  | "keys"
  | "size"
  | "close";

/**
 * What a `delete` event removed: one key, a pattern, tags, or everything.
 *
 * @example
 * ```ts
 * cache.events.on("delete", (event) => {
 *   if (event.operation === "invalidate") console.log(`${event.count} entries matched ${event.pattern}`);
 * });
 * ```
 */
export type DeleteEvent =
  | {
      /** `cache.delete(key)`. */
      readonly operation: "delete";
      /** The key asked for. */
      readonly key: string;
      /** 1 when the key was there, else 0. */
      readonly count: number;
    }
  | {
      /** `cache.invalidate(pattern)`. */
      readonly operation: "invalidate";
      /** The glob pattern asked for. */
      readonly pattern: string;
      /** Entries removed. */
      readonly count: number;
    }
  | {
      /** `cache.invalidateTags(tags)`. */
      readonly operation: "invalidateTags";
      /** The tags asked for, without duplicates. */
      readonly tags: readonly string[];
      /** Entries removed. */
      readonly count: number;
    }
  | {
      /** `cache.clear()`: every entry; the store does not say how many. */
      readonly operation: "clear";
    };

/**
 * The events a cache emits and their payloads. Listeners run synchronously inside the operation and
 * must not throw (an exception propagates to that operation's caller, as with Node's EventEmitter).
 * Unlike EventEmitter, an `error` event with no listener is not thrown: it is still counted in stats.
 *
 * @example
 * ```ts
 * cache.events.on("hit", ({ key, stale }) => metrics.increment(stale ? "cache.stale" : "cache.hit"));
 * cache.events.on("error", ({ error }) => logger.warn(error.code, error.message));
 * ```
 */
export interface CacheEvents {
  /** A read found a value. */
  hit: {
    /** The key read. */
    readonly key: string;
    /** True when `getOrSet` served an expired value within its `staleTtl` (a refresh runs). */
    readonly stale: boolean;
  };
  /** A read found nothing fresh. */
  miss: {
    /** The key read. */
    readonly key: string;
  };
  /** A value was written, by `set` or by `getOrSet` after fetching. */
  set: {
    /** The key written. */
    readonly key: string;
    /** Seconds the value stays fresh. */
    readonly ttl: number;
  };
  /** Entries were removed on request. */
  delete: DeleteEvent;
  /** An entry left the store on its own. */
  evict: {
    /** The key that left. */
    readonly key: string;
    /** `capacity`: evicted to respect the store's bound; `expired`: freed past its stale period. */
    readonly reason: EvictionReason;
  };
  /** A store call failed or timed out, or a `fetchFn` failed while a stale value was served. */
  error: {
    /** What went wrong: its `code` says which kind, its `cause` holds the original error. */
    readonly error: CacheError;
    /** The cache method that met the failure. */
    readonly operation: CacheOperation;
    /** The key concerned, when the operation had one. */
    readonly key?: string;
  };
}

/**
 * A typed listener for event `E`.
 *
 * @example
 * ```ts
 * const onEvict: CacheListener<"evict"> = ({ key, reason }) => console.log(key, reason);
 * cache.events.on("evict", onEvict);
 * ```
 */
export type CacheListener<E extends keyof CacheEvents> = (payload: CacheEvents[E]) => void;

/**
 * Subscribe to a cache's events (`cache.events`).
 *
 * @example
 * ```ts
 * const off = cache.events.on("evict", ({ key, reason }) => console.log(key, reason));
 * off(); // unsubscribe
 * ```
 */
export interface CacheEventSource {
  /** Adds `listener` for `event`; returns a function that removes it. */
  on<E extends keyof CacheEvents>(event: E, listener: CacheListener<E>): () => void;
  /** Removes `listener` from `event` (no-op when it was not added). */
  off<E extends keyof CacheEvents>(event: E, listener: CacheListener<E>): void;
}

type ListenerLists = { [E in keyof CacheEvents]?: readonly CacheListener<E>[] };

/** The cache's emitter: copy-on-write listener arrays, so `emit` never copies and `has` is one lookup. */
export class CacheEmitter implements CacheEventSource {
  #lists: ListenerLists = {};
  /** Whether anyone listens to `hit`: a plain field, read on every cache hit. */
  hitListened = false;

  on<E extends keyof CacheEvents>(event: E, listener: CacheListener<E>): () => void {
    const lists = this.#lists as Record<E, readonly CacheListener<E>[] | undefined>;
    lists[event] = [...(lists[event] ?? []), listener];
    this.hitListened = this.#lists.hit !== undefined;
    return () => this.off(event, listener);
  }

  off<E extends keyof CacheEvents>(event: E, listener: CacheListener<E>): void {
    const lists = this.#lists as Record<E, readonly CacheListener<E>[] | undefined>;
    const remaining = (lists[event] ?? []).filter((l) => l !== listener);
    lists[event] = remaining.length === 0 ? undefined : remaining;
    this.hitListened = this.#lists.hit !== undefined;
  }

  /** Whether anyone listens to `event`: check before building a payload on a hot path. */
  has(event: keyof CacheEvents): boolean {
    return this.#lists[event] !== undefined;
  }

  emit<E extends keyof CacheEvents>(event: E, payload: CacheEvents[E]): void {
    const list = this.#lists[event] as readonly CacheListener<E>[] | undefined;
    if (list === undefined) return;
    for (const listener of list) listener(payload);
  }
}
