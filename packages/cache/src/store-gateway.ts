import { CallDeadlines } from "@keel/http";
import type { CacheError } from "./errors.js";
import type { CacheOperation } from "./events.js";
import { callStore } from "./store-call.js";
import type { CacheEntry, CacheStore } from "./types.js";

/** What a {@link StoreGateway} needs from its cache. */
export interface StoreGatewayOptions {
  readonly store: CacheStore;
  /** Milliseconds per call; undefined for in-process stores (no timer). */
  readonly timeout: number | undefined;
  /** Whether failed writes reject (after being reported). */
  readonly strict: boolean;
  /** Counts and emits a failure. */
  report(error: CacheError, operation: CacheOperation, key?: string): void;
}

const RESOLVED_UNDEFINED: Promise<undefined> = Promise.resolve(undefined);

/**
 * The cache's asynchronous way into its store: every call under the timeout, every failure reported,
 * and the failure policy applied (a read falls back to a miss; a write to a neutral answer, or a
 * rejection when strict). Concurrent reads of one key share a single store call.
 */
export class StoreGateway {
  readonly #options: StoreGatewayOptions;
  /** Store reads in progress per key: callers arriving while one runs share it (and its error count). */
  readonly #reads = new Map<string, Promise<CacheEntry | undefined>>();

  /** The timeout of every store call, with one timer for all of them; none for in-process stores. */
  readonly #deadlines: CallDeadlines | undefined;

  constructor(options: StoreGatewayOptions) {
    this.#options = options;
    this.#deadlines = options.timeout === undefined ? undefined : new CallDeadlines(options.timeout);
  }

  /** One store call under the timeout; rejects with a CacheError, unreported. */
  call<T>(operation: CacheOperation, key: string | undefined, run: () => Promise<T>): Promise<T> {
    return callStore(this.#options.store.name, operation, key, this.#deadlines, run);
  }

  /** A store call whose failure is reported and answered with undefined. */
  read<T>(operation: CacheOperation, key: string | undefined, run: () => Promise<T>): Promise<T | undefined> {
    return this.call(operation, key, run).catch((error: CacheError) => {
      this.#options.report(error, operation, key);
      return undefined;
    });
  }

  /** The entry of `key` (one store read at a time per key), or undefined on a miss or a failure. */
  readEntry(operation: CacheOperation, key: string): Promise<CacheEntry | undefined> {
    const pending = this.#reads.get(key);
    if (pending !== undefined) return pending;
    const read = this.read(operation, key, () => this.#options.store.get(key));
    this.#reads.set(key, read);
    void read.then(() => {
      if (this.#reads.get(key) === read) this.#reads.delete(key);
    });
    return read;
  }

  /** A store write whose failure is reported, then answered with `fallback` (or rethrown when strict). */
  write<T>(
    operation: CacheOperation,
    key: string | undefined,
    run: () => Promise<T>,
    fallback: T,
  ): Promise<T> {
    return this.call(operation, key, run).catch((error: CacheError) =>
      this.failedWrite(error, operation, key).then(() => fallback),
    );
  }

  /** Reports a failed write; resolves, or rejects with `error` when strict. */
  failedWrite(error: CacheError, operation: CacheOperation, key: string | undefined): Promise<undefined> {
    this.#options.report(error, operation, key);
    return this.#options.strict ? Promise.reject(error) : RESOLVED_UNDEFINED;
  }

  /** Makes later readers of `key` start a new read: a local write to it happened. */
  forgetRead(key: string): void {
    this.#reads.delete(key);
  }

  /** Makes later readers of the matching keys (all when omitted) start a new read. */
  forgetReads(matches?: (key: string) => boolean): void {
    if (matches === undefined) this.#reads.clear();
    else for (const key of this.#reads.keys()) if (matches(key)) this.#reads.delete(key);
  }

  /** Iterates the store's keys, each step under the timeout; a failure is reported, then thrown. */
  async *keys(pattern: string | undefined): AsyncIterableIterator<string> {
    let iterator: AsyncIterator<string> | undefined;
    try {
      for (;;) {
        const step = await this.call("keys", undefined, () => {
          iterator ??= this.#options.store.keys(pattern)[Symbol.asyncIterator]();
          return iterator.next();
        }).catch((error: CacheError) => {
          this.#options.report(error, "keys");
          throw error;
        });
        if (step.done === true) return;
        yield step.value;
      }
    } finally {
      await iterator?.return?.();
    }
  }
}
