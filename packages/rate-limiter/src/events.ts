import type { RateLimiterError } from "./errors.js";

/**
 * Sent with `store-error` each time a store call fails or times out.
 *
 * @example
 * ```ts
 * limiter.on("store-error", ({ error, operation, fallback }) => {
 *   log.warn({ code: error.code, operation, fallback }, error.message);
 * });
 * ```
 */
export interface StoreErrorEvent {
  /** `ERR_KEEL_RATE_LIMIT_STORE` (the store's error is its `cause`), `..._STORE_TIMEOUT` or `..._STORE_REPLY`. */
  readonly error: RateLimiterError;
  /** The `name` of the store that failed (the main store or the insurance). */
  readonly store: string;
  /** The store method that failed. */
  readonly operation: "consume" | "refund" | "reset" | "cleanup";
  /** The key the call was for (absent for `cleanup`). */
  readonly key?: string;
  /**
   * How the request was decided instead: `allow` or `deny` (`onStoreError`), `insurance` (the
   * insurance store decided), or `throw` (the error was returned to the caller: refund, reset, cleanup).
   */
  readonly fallback: "allow" | "deny" | "insurance" | "throw";
}

/**
 * Sent with `blocked` when a refusal starts a block (`blockDuration`).
 *
 * @example
 * ```ts
 * limiter.on("blocked", ({ key, policy, blockedUntil }) => audit(key, policy, new Date(blockedUntil)));
 * ```
 */
export interface BlockedEvent {
  /** The key now blocked. */
  readonly key: string;
  /** The name of the policy that blocked it. */
  readonly policy: string;
  /** Epoch milliseconds at which the block ends. */
  readonly blockedUntil: number;
}

/**
 * Sent with `store-recovered` when the store answers again after failing.
 *
 * @example
 * ```ts
 * limiter.on("store-recovered", ({ failures }) => log.info(`store back after ${failures} failures`));
 * ```
 */
export interface StoreRecoveredEvent {
  /** Store calls that failed since the last success. */
  readonly failures: number;
}

/**
 * The events of a rate limiter and what each listener receives.
 *
 * - `error`: every error the limiter handled itself instead of throwing: each store failure that a
 *   failure policy absorbed, and any exception thrown by a listener. No listener is needed (unlike
 *   Node's `EventEmitter`, an unheard `error` is not thrown).
 * - `store-error`: each store failure, with its context.
 * - `store-recovered`: the store answered again after failing.
 * - `blocked`: a refusal started a block.
 *
 * @example
 * ```ts
 * const off = limiter.on("error", (error) => metrics.increment("rate_limit_errors"));
 * off(); // stop listening
 * ```
 */
export interface RateLimiterEvents {
  /** See {@link RateLimiterEvents}. */
  error: Error;
  /** See {@link StoreErrorEvent}. */
  "store-error": StoreErrorEvent;
  /** See {@link StoreRecoveredEvent}. */
  "store-recovered": StoreRecoveredEvent;
  /** See {@link BlockedEvent}. */
  blocked: BlockedEvent;
}

type Listener<T> = (event: T) => void;

/** A minimal typed emitter: no Node dependency, listener exceptions reported as `error`, never thrown. */
export class Emitter<Events extends { error: Error }> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  off<E extends keyof Events>(event: E, listener: Listener<Events[E]>): void {
    this.#listeners.get(event)?.delete(listener as Listener<never>);
  }

  /** Whether anyone listens to `event` (to skip building an event nobody hears). */
  has(event: keyof Events): boolean {
    return (this.#listeners.get(event)?.size ?? 0) > 0;
  }

  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of set) {
      try {
        (listener as Listener<Events[E]>)(payload);
      } catch (error) {
        if (event !== "error") this.emit("error", error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}
