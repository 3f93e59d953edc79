import type { Clock } from "./clock.js";
import type { CacheEntry, CacheStore } from "./types.js";

/**
 * A synchronous side door into an in-process store, so a cache hit costs one map lookup instead of a
 * promise chain. Internal: not exported from the package.
 *
 * Only a store that holds every entry in this process may register one: a cache treats a `get` that
 * returns undefined here as an authoritative miss (which would be wrong for a tiered store's L1).
 * Stores register themselves in {@link registerLiveAccess}; nothing probes a store's methods.
 */
export interface LiveAccess {
  /** The entry, by reference, updating recency. May be past `staleUntil`: the caller then calls `expire`. */
  get(key: string): CacheEntry | undefined;
  /** The same as `CacheStore.set`, synchronously. */
  set(key: string, entry: CacheEntry): void;
  /** Drops `key` if it still holds `entry` (found past `staleUntil`), reporting an `expired` eviction. */
  expire(key: string, entry: CacheEntry): void;
  /** Sizes of the store's bookkeeping, for tests and diagnostics: it must stay within the entry bound. */
  indexSizes(): { readonly keys: number; readonly tags: number; readonly taggedKeys: number };
  /** The clock the store keeps time with. */
  readonly clock: Clock;
  /**
   * Makes the store keep time with the cache's clock. Throws a `CacheError` when the store was given
   * a different clock explicitly (entry times would disagree with the sweep).
   */
  useClock(clock: Clock): void;
}

const registry = new WeakMap<CacheStore, LiveAccess>();

/** Declares `store` an in-process store whose entries `access` reads and writes synchronously. */
export function registerLiveAccess(store: CacheStore, access: LiveAccess): void {
  registry.set(store, access);
}

/** The synchronous access registered for `store`, if any. */
export function liveAccessOf(store: CacheStore): LiveAccess | undefined {
  return registry.get(store);
}
