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
const REPRESENTATIVE = 2 / (GAMMA + 1);
const UINT32_SPAN = 2 ** 32;

/*
 * Counts live in "regions": 0 is underflow (v <= LOWEST_MS), 1..BUCKET_COUNT are the buckets, and
 * BUCKET_COUNT + 1 is overflow. BOUNDS[k] is the inclusive upper bound of region k, so region k holds
 * (BOUNDS[k - 1], BOUNDS[k]]; these bounds are the definition every path (record, quantile, export)
 * agrees on.
 *
 * Finding the region without Math.log (measured: 3x faster per record): the float64's exponent and
 * top 7 mantissa bits name a "cell" at most 2^-7 = 0.78% wide, narrower than a bucket (1.45%), so a
 * cell overlaps at most two regions. CELL_REGION[cell] is the region of the cell's lowest value; one
 * comparison with BOUNDS picks between it and the next. Cells span 2^-12 to 2^23 ms; values outside
 * are clamped into the first cell (all underflow) or the last (all overflow).
 */
const REGIONS = BUCKET_COUNT + 2;
const OVERFLOW_REGION = BUCKET_COUNT + 1;
const BOUNDS = new Float64Array(REGIONS);
for (let k = 0; k <= BUCKET_COUNT; k++) BOUNDS[k] = LOWEST_MS * 2 ** (k / BUCKETS_PER_DOUBLING);
BOUNDS[OVERFLOW_REGION] = Number.POSITIVE_INFINITY;

const CELL_BITS = 7;
const FIRST_CELL_EXPONENT = -12;
const LAST_CELL_EXPONENT = 22;
const CELLS = (LAST_CELL_EXPONENT - FIRST_CELL_EXPONENT + 1) << CELL_BITS;
const CELL_BASE = (FIRST_CELL_EXPONENT + 1023) << CELL_BITS;
const CELL_REGION = new Uint16Array(CELLS);
for (let cell = 0, k = 0; cell < CELLS; cell++) {
  const lowest =
    2 ** (FIRST_CELL_EXPONENT + (cell >> CELL_BITS)) * (1 + (cell & ((1 << CELL_BITS) - 1)) / 2 ** CELL_BITS);
  while (k < OVERFLOW_REGION && !(lowest <= (BOUNDS[k] as number))) k++;
  CELL_REGION[cell] = k;
}

// Scratch view of a float64's bits; the high word's index depends on the platform's endianness.
const FLOAT = new Float64Array(1);
const WORDS = new Uint32Array(FLOAT.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The region of a value known to be finite and >= 0. */
function regionOf(value: number): number {
  FLOAT[0] = value + 0; // turns -0 into +0, whose bits are all zero
  let cell = ((WORDS[HIGH_WORD] as number) >>> (20 - CELL_BITS)) - CELL_BASE;
  if (cell < 0) cell = 0;
  else if (cell >= CELLS) cell = CELLS - 1;
  const region = CELL_REGION[cell] as number;
  return value > (BOUNDS[region] as number) ? region + 1 : region;
}

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
  highestMs: BOUNDS[BUCKET_COUNT] as number,
  /** Worst-case relative error of a quantile between `lowestMs` and `highestMs`: `(γ - 1) / (γ + 1)`. */
  relativeAccuracy: (GAMMA - 1) / (GAMMA + 1),
});

/**
 * Upper bound, in milliseconds, of bucket `slot` (0 to `bucketCount - 1`; NaN outside): bucket
 * `slot` holds the values above `bucketUpperBound(slot - 1)` and up to this bound.
 *
 * @example
 * ```ts
 * import { bucketUpperBound } from "@keel/perf-monitor";
 * bucketUpperBound(20 * 48 - 1); // 1000: bounds fall on powers of two of a second
 * ```
 */
export function bucketUpperBound(slot: number): number {
  return BOUNDS[slot + 1] ?? Number.NaN;
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

/**
 * The wire form of a {@link LogHistogram}: JSON-safe, with only the non-zero span of buckets.
 *
 * @example
 * ```ts
 * import { LogHistogram } from "@keel/perf-monitor";
 *
 * const a = new LogHistogram();
 * a.record(12);
 * const b = new LogHistogram();
 * b.mergeSnapshot(JSON.parse(JSON.stringify(a.toSnapshot())));
 * ```
 */
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
  /** Region counts: underflow, the buckets, overflow (see BOUNDS). */
  readonly #counts = new Uint32Array(REGIONS);
  /** Multiples of 2^32 carried out of a region, when any count ever got that high. */
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

  /** Bytes held by the count array: constant, whatever the number of samples. */
  get byteLength(): number {
    return this.#counts.byteLength;
  }

  /**
   * Records one sample in milliseconds.
   *
   * @throws PerfMonitorError `ERR_KEEL_PERF_MONITOR_VALUE` when `value` is negative, NaN or infinite.
   */
  record(value: number): void {
    // typeof first: "7" or null would pass the range check by coercion and corrupt the total.
    if (typeof value !== "number" || !(value >= 0 && value <= Number.MAX_VALUE)) throw invalidValue(value);
    this.#count++;
    this.#total += value;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    const region = regionOf(value);
    const next = (this.#counts[region] as number) + 1;
    this.#counts[region] = next;
    if (next === UINT32_SPAN) this.#carry(region, next);
  }

  /** Count of bucket `slot` (0 to `bucketCount - 1`; see {@link bucketUpperBound}). */
  bucketCount(slot: number): number {
    return this.#region(slot + 1);
  }

  #region(region: number): number {
    const low = this.#counts[region] ?? 0;
    return this.#carries === undefined ? low : low + (this.#carries.get(region) ?? 0) * UINT32_SPAN;
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
    let seen = 0;
    let region = -1;
    for (const index of order) {
      const rank = nearestRank(qs[index] as number, this.#count);
      while (seen < rank) seen += this.#region(++region);
      out[index] = this.#valueAt(rank, region);
    }
    return out;
  }

  #valueAt(rank: number, region: number): number {
    // The exact extremes are known; every estimate is clamped to them. Underflow (below about
    // 1 µs) reports the exact minimum, overflow (past 68 minutes) the exact maximum.
    if (rank === 1 || region === 0) return this.#min;
    if (rank === this.#count || region === OVERFLOW_REGION) return this.#max;
    const estimate = (BOUNDS[region] as number) * REPRESENTATIVE;
    return Math.min(this.#max, Math.max(this.#min, estimate));
  }

  /** Adds every sample of `other` to this histogram; exact, since both share one layout. */
  merge(other: LogHistogram): void {
    if (other.#count === 0) return;
    this.#mergeTotals(other.#count, other.#total, other.#min, other.#max);
    for (let region = 0; region < REGIONS; region++) {
      const n = other.#region(region);
      if (n !== 0) this.#add(region, n);
    }
  }

  /** Empties the histogram, keeping its memory. */
  reset(): void {
    this.#count = 0;
    this.#total = 0;
    this.#min = Number.POSITIVE_INFINITY;
    this.#max = Number.NEGATIVE_INFINITY;
    this.#counts.fill(0);
    this.#carries = undefined;
  }

  /** The JSON-safe wire form; see {@link HistogramSnapshot}. */
  toSnapshot(): HistogramSnapshot {
    let first = 1;
    let last = BUCKET_COUNT;
    while (first <= last && this.#region(first) === 0) first++;
    while (last >= first && this.#region(last) === 0) last--;
    const counts: number[] = [];
    for (let region = first; region <= last; region++) counts.push(this.#region(region));
    return {
      count: this.#count,
      total: this.#total,
      min: this.min,
      max: this.max,
      underflow: this.#region(0),
      overflow: this.#region(OVERFLOW_REGION),
      offset: counts.length === 0 ? 0 : first - 1,
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
    const problem = snapshotProblem(snapshot);
    if (problem !== undefined) {
      throw new PerfMonitorError(
        "ERR_KEEL_PERF_MONITOR_SNAPSHOT",
        `cannot merge this histogram snapshot: ${problem}; pass the output of toSnapshot() from @keel/perf-monitor of the same major version`,
      );
    }
    if (snapshot.count === 0) return;
    this.#mergeTotals(snapshot.count, snapshot.total, snapshot.min, snapshot.max);
    if (snapshot.underflow !== 0) this.#add(0, snapshot.underflow);
    if (snapshot.overflow !== 0) this.#add(OVERFLOW_REGION, snapshot.overflow);
    snapshot.counts.forEach((n, i) => {
      if (n !== 0) this.#add(snapshot.offset + i + 1, n);
    });
  }

  #mergeTotals(count: number, total: number, min: number, max: number): void {
    this.#count += count;
    this.#total += total;
    if (min < this.#min) this.#min = min;
    if (max > this.#max) this.#max = max;
  }

  #add(region: number, n: number): void {
    this.#carry(region, (this.#counts[region] as number) + n);
  }

  /** Stores `sum` in a region: the low 32 bits in the array, whole multiples of 2^32 on the side. */
  #carry(region: number, sum: number): void {
    const low = sum % UINT32_SPAN;
    this.#counts[region] = low;
    if (low === sum) return;
    this.#carries ??= new Map();
    this.#carries.set(region, (this.#carries.get(region) ?? 0) + (sum - low) / UINT32_SPAN);
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

/**
 * What is wrong with a histogram snapshot, or undefined when it is well-formed. Checked before
 * anything is merged, so that a bad snapshot never half-applies.
 */
export function snapshotProblem(s: HistogramSnapshot): string | undefined {
  if (typeof s !== "object" || s === null) return "it is not an object";
  const { count, total, min, max, underflow, overflow, offset, counts } = s;
  if (!isCount(count) || !isCount(underflow) || !isCount(overflow)) {
    return "count, underflow and overflow must be non-negative integers";
  }
  const finite = [total, min, max].every((x) => typeof x === "number" && x >= 0 && x <= Number.MAX_VALUE);
  if (!finite || (count > 0 && min > max)) return "total, min and max must be finite, min <= max";
  if (!Array.isArray(counts) || !counts.every(isCount))
    return "counts must be an array of non-negative integers";
  if (!isCount(offset) || offset + counts.length > BUCKET_COUNT)
    return `buckets must lie within 0..${BUCKET_COUNT - 1}`;
  const sum = counts.reduce((a, b) => a + b, underflow + overflow);
  if (sum !== count) return `bucket counts add up to ${sum}, not to count ${count}`;
  return undefined;
}
