import { LogHistogram } from "./histogram.js";

/**
 * A rolling window as a ring of histograms, one per slice of time. Slices rotate lazily: each
 * `record` or `read` works out which slice the clock is in and empties the slices that went stale
 * since the last call, so an idle metric costs nothing and no timer exists.
 */
export class RollingWindow {
  readonly #slices: LogHistogram[];
  readonly #sliceMs: number;
  /** The slice number (`floor(now / sliceMs)`) the newest histogram belongs to. */
  #epoch = Number.NEGATIVE_INFINITY;

  constructor(windowMs: number, slices: number) {
    this.#sliceMs = windowMs / slices;
    this.#slices = Array.from({ length: slices }, () => new LogHistogram());
  }

  /** Records a sample (milliseconds) taken at `now` (clock milliseconds). */
  record(value: number, now: number): void {
    this.#slice(now).record(value);
  }

  /** A new histogram holding the samples of the live slices at `now`. */
  read(now: number): LogHistogram {
    this.#advance(now);
    const merged = new LogHistogram();
    for (const slice of this.#slices) if (slice.count > 0) merged.merge(slice);
    return merged;
  }

  /** Empties every slice. */
  reset(): void {
    for (const slice of this.#slices) slice.reset();
  }

  #slice(now: number): LogHistogram {
    this.#advance(now);
    const n = this.#slices.length;
    return this.#slices[((this.#epoch % n) + n) % n] as LogHistogram;
  }

  #advance(now: number): void {
    const epoch = Math.floor(now / this.#sliceMs);
    // A clock that steps back (only a fake one can) keeps writing to the newest slice.
    if (!(epoch > this.#epoch)) return;
    const n = this.#slices.length;
    const stale = Math.min(n, epoch - this.#epoch);
    for (let i = 1; i <= stale; i++) {
      const slot = (((epoch - stale + i) % n) + n) % n;
      this.#slices[slot]?.reset();
    }
    this.#epoch = epoch;
  }
}
