// Request coalescing: while one request of a key runs the handler (the leader), the others wait for
// its response instead of running the handler too. The wait is bounded; a leader whose response is
// not shared (an error, Set-Cookie, too large, aborted) releases them to run their own. An
// invalidation of the key during the flight cancels it: its response is neither stored nor shared.
import type { DeleteEvent } from "../events.js";
import { compileGlob } from "../glob.js";
import type { StoredResponse } from "./stored-response.js";

/** What a leader shares: the response it stored, and the Vary names that select it. */
export interface FlightResult {
  readonly vary: readonly string[];
  readonly stored: StoredResponse;
}

/** One running handler for a key. */
export interface Flight {
  readonly key: string;
  readonly tags: readonly string[];
  /** Set by an invalidation of the key while the handler ran. */
  readonly cancelled: boolean;
  /** Shares the result (or `undefined`: waiters run their own handler). Only the first call counts. */
  resolve(result: FlightResult | undefined): void;
  /** Waits at most `timeout` ms; `undefined` when the leader shared nothing or took too long. */
  wait(timeout: number): Promise<FlightResult | undefined>;
}

class RunningFlight implements Flight {
  cancelled = false;
  readonly #promise: Promise<FlightResult | undefined>;
  #resolve!: (result: FlightResult | undefined) => void;

  constructor(
    readonly key: string,
    readonly tags: readonly string[],
  ) {
    this.#promise = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  resolve(result: FlightResult | undefined): void {
    this.#resolve(this.cancelled ? undefined : result);
  }

  wait(timeout: number): Promise<FlightResult | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, timeout, undefined);
      timer.unref?.();
    });
    return Promise.race([this.#promise, expired]).finally(() => clearTimeout(timer));
  }
}

/** The flights of one middleware, by key. */
export class Flights {
  readonly #flights = new Map<string, RunningFlight>();

  get(key: string): Flight | undefined {
    return this.#flights.get(key);
  }

  /** Registers a new flight for `key` (replacing none: call only when {@link get} found none). */
  start(key: string, tags: readonly string[]): Flight {
    const flight = new RunningFlight(key, tags);
    this.#flights.set(key, flight);
    return flight;
  }

  /** Unregisters `flight` once its response is stored (or it ended without one). */
  end(flight: Flight): void {
    if (this.#flights.get(flight.key) === flight) this.#flights.delete(flight.key);
  }

  /** Cancels the flights an invalidation of the cache covers (a `delete` event of the cache). */
  invalidated(event: DeleteEvent): void {
    if (this.#flights.size === 0) return;
    let matches: (flight: RunningFlight) => boolean;
    if (event.operation === "clear") matches = () => true;
    else if (event.operation === "delete") matches = (flight) => flight.key === event.key;
    else if (event.operation === "invalidate") {
      const glob = compileGlob(event.pattern);
      matches = (flight) => glob(flight.key);
    } else matches = (flight) => flight.tags.some((tag) => event.tags.includes(tag));
    for (const flight of [...this.#flights.values()]) {
      if (!matches(flight)) continue;
      flight.cancelled = true;
      flight.resolve(undefined);
      this.#flights.delete(flight.key);
    }
  }

  /** How many flights run (for tests). */
  get size(): number {
    return this.#flights.size;
  }
}
