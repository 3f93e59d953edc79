import { describeValue, PerfMonitorError } from "./errors.js";

/**
 * Buckets per doubling of value. Bucket `s` holds the values `v` (milliseconds) with
 * `LOWEST_MS * γ^s < v <= LOWEST_MS * γ^(s+1)`, where `γ = 2^(1/48)`. Reporting a bucket by
 * `2 * upper / (γ + 1)` is off by at most `(γ - 1) / (γ + 1)` = 0.722% of the true value (DDSketch's
 * argument). 48 is chosen so that bucket bounds fall on powers of two of a second and on every
 * `2^(k/b)` second for `b` dividing 48, which lets the Prometheus export give exact `le` counts.
 */
const BUCKETS_PER_DOUBLING = 48;
/** The bounds cover 32 doublings: 2^-20 s (about 0.95 µs) to 2^12 s (4,096 s, about 68 minutes). */
const LOWEST_EXPONENT = -20;
const BUCKET_COUNT = 32 * BUCKETS_PER_DOUBLING;
const LOWEST_MS = 1000 * 2 ** LOWEST_EXPONENT;
const GAMMA = 2 ** (1 / BUCKETS_PER_DOUBLING);
// slot(v) = ceil(log_γ(v / LOWEST_MS)) - 1, folded into one multiply and one subtract.
const MULTIPLIER = BUCKETS_PER_DOUBLING / Math.LN2;
const SHIFT = Math.log(LOWEST_MS) * MULTIPLIER + 1;
const REPRESENTATIVE = 2 / (GAMMA + 1);
const UINT32_SPAN = 2 ** 32;

/**
 * The fixed layout of every {@link LogHistogram}: bucket bounds in milliseconds and the relative
 * accuracy they guarantee. Snapshots carry it so that only compatible sketches merge.
 *
 * @example
 * ```ts
 * import { HISTOGRAM_LAYOUT } from "@keel/perf-monitor";
 * console.log(HISTOGRAM_LAYOUT.relativeAccuracy); // 0.00722...
 * ```
 */
export const HISTOGRAM_LAYOUT = Object.freeze({
  /** Buckets per doubling of value; bucket bounds grow by `2^(1/48)` (1.45%). */
  bucketsPerDoubling: BUCKETS_PER_DOUBLING,
  /** Number of buckets, fixed: memory never depends on the number of samples. */
  bucketCount: BUCKET_COUNT,
  /** Samples at or below this many milliseconds (2^-20 s, about 0.95 µs) are counted as underflow. */
  lowestMs: LOWEST_MS,
  /** Samples above this many milliseconds (2^12 s, about 68 minutes) are counted as overflow. */
  highestMs: LOWEST_MS * 2 ** (BUCKET_COUNT / BUCKETS_PER_DOUBLING),
  /** Worst-case relative error of a quantile between `lowestMs` and `highestMs`: `(γ - 1) / (γ + 1)`. */
  relativeAccuracy: (GAMMA - 1) / (GAMMA + 1),
});

/** Upper bound, in milliseconds, of bucket `slot` (see {@link HISTOGRAM_LAYOUT}). */
export function bucketUpperBound(slot: number): number {
  return LOWEST_MS * 2 ** ((slot + 1) / BUCKETS_PER_DOUBLING);
}

/**
 * The 1-based nearest rank of quantile `q` among `count` sorted samples: `max(1, ceil(q * count))`,
 * computed in float64. Both the sketch and any exact reference use this convention.
 *
 * @example
 * ```ts
 * nearestRank(0.5, 10); // 5: the median of ten samples is the fifth smallest
 * nearestRank(0.99, 10); // 10
 * ```
 */
export function nearestRank(q: number, count: number): number {
  return Math.max(1, Math.ceil(q * count));
}

/** The wire form of a {@link LogHistogram}: JSON-safe, with only the non-zero span of buckets. */
export interface HistogramSnapshot {
  /** Number of samples. */
  readonly count: number;
  /** Sum of the samples, in milliseconds. */
  readonly total: number;
  /** Smallest sample in milliseconds; 0 when `count` is 0. */
  readonly min: number;
  /** Largest sample in milliseconds; 0 when `count` is 0. */
  readonly max: number;
  /** Samples at or below {@link HISTOGRAM_LAYOUT}`.lowestMs`. */
  readonly underflow: number;
  /** Samples above {@link HISTOGRAM_LAYOUT}`.highestMs`. */
  readonly overflow: number;
  /** Index of the bucket `counts[0]` belongs to. */
  readonly offset: number;
  /** Bucket counts from `offset` on, up to the last non-zero bucket. */
  readonly counts: readonly number[];
}

/**
 * A mergeable log-bucket histogram (DDSketch-style) of non-negative values in milliseconds, in
 * constant memory: one `Uint32Array` of {@link HISTOGRAM_LAYOUT}`.bucketCount` buckets (6 KB) plus
 * exact `count`, `total`, `min` and `max`. Recording costs a logarithm, a multiply and an increment;
 * it never allocates. Quantiles use the nearest-rank convention and are within 0.722% of the true
 * sample (see {@link HISTOGRAM_LAYOUT}), clamped to the exact `[min, max]`; merging two histograms
 * gives exactly the histogram of all their samples.
 *
 * A bucket whose count passes 2^32 - 1 carries into a small side map, so counts stay exact up to
 * 2^53 samples.
 *
 * @example
 * ```ts
 * import { LogHistogram } from "@keel/perf-monitor";
 *
 * const h = new LogHistogram();
 * for (const ms of [1.2, 3.4, 250]) h.record(ms);
 * h.quantile(0.5); // about 3.4 (within 0.722%)
 * h.max; // 250, exact
 * ```
 */
export class LogHistogram {
  #count = 0;
  #total = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;
  #underflow = 0;
  #overflow = 0;
  readonly #counts = new Uint32Array(BUCKET_COUNT);
  #carries: Map<number, number> | undefined;

  /** Number of samples recorded. */
  get count(): number {
    return this.#count;
  }

  /** Exact sum of the samples, in milliseconds (float64 addition). */
  get total(): number {
    return this.#total;
  }

  /** Smallest sample in milliseconds; 0 when empty. */
  get min(): number {
    return this.#count === 0 ? 0 : this.#min;
  }

  /** Largest sample in milliseconds; 0 when empty. */
  get max(): number {
    return this.#count === 0 ? 0 : this.#max;
  }

  /** Bytes held by the bucket array: constant, whatever the number of samples. */
  get byteLength(): number {
    return this.#counts.byteLength;
  }

  /**
   * Records one sample in milliseconds.
   *
   * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_VALUE` when `value` is negative, NaN or infinite.
   */
  record(value: number): void {
    if (!(value >= 0 && value <= Number.MAX_VALUE)) throw invalidValue(value);
    this.#count++;
    this.#total += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    // Math.log(0) is -Infinity, so 0 lands in underflow with no special case.
    const slot = Math.ceil(Math.log(value) * MULTIPLIER - SHIFT);
    if (slot >= 0) {
      if (slot < BUCKET_COUNT) {
        const next = (this.#counts[slot] as number) + 1;
        this.#counts[slot] = next;
        if (next === UINT32_SPAN) this.#carry(slot, 1);
      } else this.#overflow++;
    } else this.#underflow++;
  }

  /** Count of bucket `slot`, including carries past 2^32 - 1. */
  bucketCount(slot: number): number {
    const low = this.#counts[slot] ?? 0;
    return this.#carries === undefined ? low : low + (this.#carries.get(slot) ?? 0) * UINT32_SPAN;
  }

  /**
   * The nearest-rank quantile `q` in milliseconds (see {@link nearestRank}), or NaN when empty.
   * `q = 0` gives the exact minimum and `q = 1` the exact maximum.
   */
  quantile(q: number): number {
    return this.quantiles([q])[0] as number;
  }

  /** Several quantiles in one pass over the buckets, in the order asked. */
  quantiles(qs: readonly number[]): number[] {
    for (const q of qs) {
      if (!(q >= 0 && q <= 1)) {
        throw new PerfMonitorError(
          "ERR_KEEL_PERF_MONITOR_QUANTILE",
          `a quantile must be a number from 0 to 1 (0.99 for p99), got ${describeValue(q)}`,
        );
      }
    }
    const order = qs.map((_, i) => i).sort((a, b) => (qs[a] as number) - (qs[b] as number));
    const out = new Array<number>(qs.length).fill(Number.NaN);
    if (this.#count === 0) return out;
    let seen = this.#underflow;
    let slot = -1;
    for (const index of order) {
      const rank = nearestRank(qs[index] as number, this.#count);
      while (seen < rank && slot < BUCKET_COUNT) {
        slot++;
        seen += slot < BUCKET_COUNT ? this.bucketCount(slot) : this.#overflow;
      }
      out[index] = this.#valueAt(rank, slot);
    }
    return out;
  }

  #valueAt(rank: number, slot: number): number {
    // The exact extremes are known; every estimate is clamped to them.
    if (rank === 1) return this.#min;
    if (rank === this.#count || slot === BUCKET_COUNT) return this.#max;
    if (slot < 0) return this.#min; // in underflow: below 1 µs, reported as the exact minimum
    const estimate = bucketUpperBound(slot) * REPRESENTATIVE;
    return Math.min(this.#max, Math.max(this.#min, estimate));
  }

  /** Adds every sample of `other` to this histogram; exact, since both share one layout. */
  merge(other: LogHistogram): void {
    this.#mergeTotals(other.#count, other.#total, other.#min, other.#max, other.#underflow, other.#overflow);
    for (let slot = 0; slot < BUCKET_COUNT; slot++) {
      const n = other.bucketCount(slot);
      if (n !== 0) this.#add(slot, n);
    }
  }

  /** Empties the histogram, keeping its memory. */
  reset(): void {
    this.#count = 0;
    this.#total = 0;
    this.#min = Number.POSITIVE_INFINITY;
    this.#max = Number.NEGATIVE_INFINITY;
    this.#underflow = 0;
    this.#overflow = 0;
    this.#counts.fill(0);
    this.#carries = undefined;
  }

  /** The JSON-safe wire form; see {@link HistogramSnapshot}. */
  toSnapshot(): HistogramSnapshot {
    let first = 0;
    let last = BUCKET_COUNT - 1;
    while (first <= last && this.bucketCount(first) === 0) first++;
    while (last >= first && this.bucketCount(last) === 0) last--;
    const counts: number[] = [];
    for (let slot = first; slot <= last; slot++) counts.push(this.bucketCount(slot));
    return {
      count: this.#count,
      total: this.#total,
      min: this.min,
      max: this.max,
      underflow: this.#underflow,
      overflow: this.#overflow,
      offset: counts.length === 0 ? 0 : first,
      counts,
    };
  }

  /**
   * Adds a snapshot's samples to this histogram, exactly.
   *
   * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_SNAPSHOT` when the snapshot is malformed; nothing
   * is merged then.
   */
  mergeSnapshot(snapshot: HistogramSnapshot): void {
    checkSnapshot(snapshot);
    if (snapshot.count === 0) return;
    this.#mergeTotals(
      snapshot.count,
      snapshot.total,
      snapshot.min,
      snapshot.max,
      snapshot.underflow,
      snapshot.overflow,
    );
    snapshot.counts.forEach((n, i) => {
      if (n !== 0) this.#add(snapshot.offset + i, n);
    });
  }

  #mergeTotals(count: number, total: number, min: number, max: number, under: number, over: number): void {
    if (count === 0) return;
    this.#count += count;
    this.#total += total;
    if (min < this.#min) this.#min = min;
    if (max > this.#max) this.#max = max;
    this.#underflow += under;
    this.#overflow += over;
  }

  #add(slot: number, n: number): void {
    const sum = (this.#counts[slot] as number) + n;
    const low = sum % UINT32_SPAN;
    this.#counts[slot] = low;
    if (sum !== low) this.#carry(slot, (sum - low) / UINT32_SPAN);
  }

  #carry(slot: number, spans: number): void {
    this.#carries ??= new Map();
    this.#carries.set(slot, (this.#carries.get(slot) ?? 0) + spans);
  }
}

function invalidValue(value: number): PerfMonitorError {
  return new PerfMonitorError(
    "ERR_KEEL_PERF_MONITOR_VALUE",
    `a sample must be a finite number of milliseconds, 0 or more, got ${describeValue(value)}`,
  );
}

function isCount(n: unknown): n is number {
  return Number.isSafeInteger(n) && (n as number) >= 0;
}

function snapshotError(reason: string): PerfMonitorError {
  return new PerfMonitorError(
    "ERR_KEEL_PERF_MONITOR_SNAPSHOT",
    `cannot merge this histogram snapshot: ${reason}; pass the output of snapshot() from @keel/perf-monitor of the same major version`,
  );
}

/** Validates a snapshot before anything is merged, so a bad one never half-applies. */
function checkSnapshot(s: HistogramSnapshot): void {
  if (typeof s !== "object" || s === null) throw snapshotError("it is not an object");
  const { count, total, min, max, underflow, overflow, offset, counts } = s;
  if (!isCount(count) || !isCount(underflow) || !isCount(overflow)) {
    throw snapshotError("count, underflow and overflow must be non-negative integers");
  }
  const finite = [total, min, max].every((x) => typeof x === "number" && x >= 0 && x <= Number.MAX_VALUE);
  if (!finite || (count > 0 && min > max))
    throw snapshotError("total, min and max must be finite, min <= max");
  if (!Array.isArray(counts) || !counts.every(isCount)) {
    throw snapshotError("counts must be an array of non-negative integers");
  }
  if (!isCount(offset) || offset + counts.length > BUCKET_COUNT) {
    throw snapshotError(`buckets must lie within 0..${BUCKET_COUNT - 1}`);
  }
  const sum = counts.reduce((a, b) => a + b, underflow + overflow);
  if (sum !== count) throw snapshotError(`bucket counts add up to ${sum}, not to count ${count}`);
}
