import type { Clock } from "./clock.js";
import type { TtlArgument } from "./options.js";
import type { CacheEntry } from "./types.js";

/** One running `fetchFn` for a key, shared by every caller that missed it meanwhile. */
export interface Flight {
  /** Settles with the fetched value (or the stale value, on a failed refresh within its stale period). */
  readonly promise: Promise<unknown>;
  /** The tags the fetched value will carry, so `invalidateTags` can cancel the write. */
  readonly tags: readonly string[];
}

interface RunningFlight extends Flight {
  promise: Promise<unknown>;
  /** Set by a delete, set, invalidation or close during the fetch: the result is returned, not stored. */
  cancelled: boolean;
  /** A background refresh: callers of a stale key are served the stale value rather than joining it. */
  readonly refresh: boolean;
}

/** What a {@link Flights} needs from its cache. */
export interface FlightHooks {
  readonly clock: Clock;
  /** Stores a fetched value; must never reject (failures are the cache's to count). */
  store(key: string, value: unknown, ttl: TtlArgument): Promise<void>;
  /** A refresh failed and the stale value was served instead (grace). */
  onStale(key: string, cause: unknown): void;
}

const noop = (): void => {};

/**
 * Single flight per key and process: concurrent misses of a key share one `fetchFn` call. A flight
 * stays registered until its value is stored, so a caller arriving between the fetch and the write
 * joins it instead of fetching again. A rejected fetch leaves nothing behind: the next miss fetches.
 */
export class Flights {
  readonly #flights = new Map<string, RunningFlight>();
  readonly #hooks: FlightHooks;

  constructor(hooks: FlightHooks) {
    this.#hooks = hooks;
  }

  /** Whether a foreground fetch (not a background refresh of a stale entry) runs for `key`. */
  fetching(key: string): boolean {
    const flight = this.#flights.get(key);
    return flight !== undefined && !flight.refresh;
  }

  /** The result of the flight running for `key`, starting one with `fetchFn` when none is. */
  join<T>(key: string, fetchFn: () => T | Promise<T>, ttl: TtlArgument): Promise<T> {
    const flight = this.#flights.get(key) ?? this.#start(key, fetchFn, ttl, undefined);
    return flight.promise as Promise<T>;
  }

  /**
   * Starts a background refresh of a stale entry unless a flight for `key` already runs. `onFail`
   * hears a failure that could not be answered with the stale value (its stale period ended).
   */
  refresh<T>(
    key: string,
    fetchFn: () => T | Promise<T>,
    ttl: TtlArgument,
    stale: CacheEntry,
    onFail: (cause: unknown) => void,
  ): void {
    if (this.#flights.has(key)) return;
    this.#start(key, fetchFn, ttl, stale).promise.catch(onFail);
  }

  /** Detaches the flight of `key`: its callers still get the value, but it is not stored. */
  cancel(key: string): void {
    const flight = this.#flights.get(key);
    if (flight === undefined) return;
    flight.cancelled = true;
    this.#flights.delete(key);
  }

  cancelMatching(matches: (key: string, flight: Flight) => boolean): void {
    for (const [key, flight] of this.#flights) {
      if (matches(key, flight)) this.cancel(key);
    }
  }

  cancelAll(): void {
    for (const key of [...this.#flights.keys()]) this.cancel(key);
  }

  #start(
    key: string,
    fetchFn: () => unknown,
    ttl: TtlArgument,
    stale: CacheEntry | undefined,
  ): RunningFlight {
    const tags = typeof ttl === "object" ? (ttl.tags ?? []) : [];
    const flight: RunningFlight = {
      promise: Promise.resolve(undefined),
      tags,
      cancelled: false,
      refresh: stale !== undefined,
    };
    // Registered before fetchFn runs: a fetchFn that throws synchronously lands (unregisters) at once.
    this.#flights.set(key, flight);
    flight.promise = this.#run(key, flight, fetchFn, ttl, stale);
    return flight;
  }

  async #run(
    key: string,
    flight: RunningFlight,
    fetchFn: () => unknown,
    ttl: TtlArgument,
    stale: CacheEntry | undefined,
  ): Promise<unknown> {
    let value: unknown;
    try {
      value = await fetchFn();
    } catch (cause) {
      this.#land(key, flight);
      if (stale !== undefined && stale.staleUntil > this.#hooks.clock.now()) {
        this.#hooks.onStale(key, cause);
        return stale.value;
      }
      throw cause;
    }
    if (value === undefined || flight.cancelled) {
      this.#land(key, flight);
      return value;
    }
    const land = (): void => this.#land(key, flight);
    this.#hooks.store(key, value, ttl).then(land, land).catch(noop);
    return value;
  }

  #land(key: string, flight: RunningFlight): void {
    if (this.#flights.get(key) === flight) this.#flights.delete(key);
  }
}
