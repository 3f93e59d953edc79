import { RateLimiterError } from "./errors.js";
import type { StoreErrorEvent } from "./events.js";
import { storeError } from "./store-call.js";
import type { RateLimitStore } from "./types.js";

/** One store call in flight, in start order. */
interface PendingCall {
  readonly deadline: number;
  readonly store: RateLimitStore;
  readonly operation: StoreErrorEvent["operation"];
  readonly reject: (error: RateLimiterError) => void;
  settled: boolean;
  next: PendingCall | undefined;
}

/**
 * The timeout of a limiter's store calls, with one timer for all of them instead of one per call.
 *
 * Every call of one limiter gets the same timeout, so calls reach their deadlines in the order they
 * started: they wait in a list in that order, and a single unref'd timer is armed for the oldest.
 * When it fires, every call past its deadline is rejected with `ERR_KEEL_RATE_LIMIT_STORE_TIMEOUT`
 * and the timer is armed again for the next one. A call that settles leaves the list as soon as the
 * calls before it have. Why: a `setTimeout`, `unref` and `clearTimeout` per call cost about 1 µs of
 * CPU per Redis check, a tenth of the whole check; deadlines are still exact to the millisecond.
 */
export class CallDeadlines {
  readonly #timeoutMs: number;
  #oldest: PendingCall | undefined;
  #newest: PendingCall | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Settles with the store's answer, or rejects with `ERR_KEEL_RATE_LIMIT_STORE_TIMEOUT` at the
   * deadline, whichever comes first; a late answer (or late failure) is ignored. Whatever the store
   * throws or rejects with becomes a {@link RateLimiterError} (see {@link storeError}).
   */
  run<T>(store: RateLimitStore, operation: StoreErrorEvent["operation"], call: () => Promise<T>): Promise<T> {
    let pending: Promise<T>;
    try {
      pending = call();
    } catch (error) {
      return Promise.reject(storeError(store, operation, error));
    }
    if (this.#timeoutMs === Number.POSITIVE_INFINITY) {
      return pending.then(undefined, (error: unknown) => Promise.reject(storeError(store, operation, error)));
    }
    return new Promise<T>((resolve, reject) => {
      const entry: PendingCall = {
        deadline: performance.now() + this.#timeoutMs,
        store,
        operation,
        reject,
        settled: false,
        next: undefined,
      };
      this.#append(entry);
      pending.then(
        (value) => {
          if (entry.settled) return;
          this.#settle(entry);
          resolve(value);
        },
        (error: unknown) => {
          if (entry.settled) return;
          this.#settle(entry);
          reject(storeError(store, operation, error));
        },
      );
    });
  }

  #append(entry: PendingCall): void {
    if (this.#newest === undefined) this.#oldest = entry;
    else this.#newest.next = entry;
    this.#newest = entry;
    if (this.#timer === undefined) this.#arm(this.#timeoutMs);
  }

  #settle(entry: PendingCall): void {
    entry.settled = true;
    let oldest = this.#oldest;
    while (oldest?.settled) oldest = oldest.next;
    this.#oldest = oldest;
    if (oldest === undefined) this.#newest = undefined;
  }

  #arm(delayMs: number): void {
    const timer = setTimeout(() => this.#expire(), delayMs);
    timer.unref?.();
    this.#timer = timer;
  }

  /** Rejects every call past its deadline, then waits for the next one (if any is in flight). */
  #expire(): void {
    this.#timer = undefined;
    const now = performance.now();
    let oldest = this.#oldest;
    while (oldest !== undefined && (oldest.settled || oldest.deadline <= now)) {
      if (!oldest.settled) {
        oldest.settled = true;
        oldest.reject(timeoutError(oldest.store, oldest.operation, this.#timeoutMs));
      }
      oldest = oldest.next;
    }
    this.#oldest = oldest;
    if (oldest === undefined) this.#newest = undefined;
    else this.#arm(Math.max(1, Math.ceil(oldest.deadline - now)));
  }
}

function timeoutError(
  store: RateLimitStore,
  operation: StoreErrorEvent["operation"],
  timeoutMs: number,
): RateLimiterError {
  return new RateLimiterError(
    "ERR_KEEL_RATE_LIMIT_STORE_TIMEOUT",
    `the ${store.name} store did not answer ${operation} within ${timeoutMs} ms (storeTimeout); check its connection, or raise storeTimeout`,
  );
}
