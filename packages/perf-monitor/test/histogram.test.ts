import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketUpperBound, HISTOGRAM_LAYOUT, LogHistogram, nearestRank } from "../src/histogram.js";
import { distributions, draw, seeded } from "./support/distributions.js";

const QUANTILES = [0.5, 0.9, 0.95, 0.99];

/** The exact nearest-rank quantile, the reference the sketch is held to. */
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[nearestRank(q, sorted.length) - 1] as number;
}

function relativeErrors(h: LogHistogram, samples: readonly number[]): number[] {
  const sorted = [...samples].sort((a, b) => a - b);
  const estimates = h.quantiles(QUANTILES);
  return QUANTILES.map((q, i) => {
    const exact = exactQuantile(sorted, q);
    return Math.abs((estimates[i] as number) - exact) / exact;
  });
}

const cases = fc.record({
  distribution: distributions,
  size: fc.integer({ min: 1, max: 3000 }),
  seed: fc.integer(),
});

describe("LogHistogram accuracy", () => {
  it("keeps p50, p90, p95 and p99 within 1% of the exact nearest-rank quantiles", () => {
    fc.assert(
      fc.property(cases, ({ distribution, size, seed }) => {
        const samples = draw(distribution, size, seed);
        const h = new LogHistogram();
        for (const x of samples) h.record(x);
        for (const error of relativeErrors(h, samples)) {
          expect(error).toBeLessThanOrEqual(0.01);
          // The documented bound, with room only for float64 rounding.
          expect(error).toBeLessThanOrEqual(HISTOGRAM_LAYOUT.relativeAccuracy + 1e-12);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("keeps the same bound after merging eight histograms, and equals one fed every sample", () => {
    fc.assert(
      fc.property(cases, ({ distribution, size, seed }) => {
        const samples = draw(distribution, size, seed);
        const random = seeded(seed ^ 0x5bd1e995);
        const shards = Array.from({ length: 8 }, () => new LogHistogram());
        const whole = new LogHistogram();
        for (const x of samples) {
          shards[Math.floor(random() * 8)]?.record(x);
          whole.record(x);
        }
        const merged = new LogHistogram();
        for (const shard of shards) merged.merge(shard);
        for (const error of relativeErrors(merged, samples)) expect(error).toBeLessThanOrEqual(0.01);
        expect(merged.quantiles(QUANTILES)).toEqual(whole.quantiles(QUANTILES));
        const { total: mergedTotal, ...mergedRest } = merged.toSnapshot();
        const { total, ...wholeRest } = whole.toSnapshot();
        expect(mergedRest).toEqual(wholeRest);
        // Float64 sums depend on addition order: equal up to rounding, not bit for bit.
        expect(Math.abs(mergedTotal - total)).toBeLessThanOrEqual(1e-11 * total);
      }),
      { numRuns: 150 },
    );
  });

  it("reports the exact minimum at q = 0 and the exact maximum at q = 1", () => {
    const h = new LogHistogram();
    for (const x of [3.3, 0.0123, 987.6]) h.record(x);
    expect(h.quantiles([0, 1])).toEqual([0.0123, 987.6]);
  });

  it("reports a constant distribution exactly, since estimates are clamped to [min, max]", () => {
    const h = new LogHistogram();
    for (let i = 0; i < 100; i++) h.record(42.5);
    expect(h.quantiles(QUANTILES)).toEqual([42.5, 42.5, 42.5, 42.5]);
  });

  it("answers quantiles in the order asked, whatever their order", () => {
    const h = new LogHistogram();
    for (let i = 1; i <= 100; i++) h.record(i);
    const [p99, p50] = h.quantiles([0.99, 0.5]);
    expect(p99).toBeCloseTo(99, -0.5);
    expect(p50).toBeCloseTo(50, -0.5);
    expect(h.quantile(0.5)).toBe(p50);
  });

  it("counts zero and sub-microsecond samples as underflow, reported as the exact minimum", () => {
    const h = new LogHistogram();
    h.record(0);
    h.record(0.0001);
    h.record(5);
    expect(h.toSnapshot()).toMatchObject({ underflow: 2, overflow: 0, count: 3 });
    expect(h.quantile(0.5)).toBe(0);
  });

  it("counts samples past 68 minutes as overflow, reported as the exact maximum", () => {
    const h = new LogHistogram();
    h.record(1);
    h.record(5_000_000);
    h.record(9_000_000);
    expect(h.toSnapshot()).toMatchObject({ overflow: 2 });
    expect(h.quantile(0.5)).toBe(9_000_000);
  });

  it("returns NaN quantiles and zero extremes while empty", () => {
    const h = new LogHistogram();
    expect(h.quantile(0.5)).toBeNaN();
    expect([h.count, h.total, h.min, h.max]).toEqual([0, 0, 0, 0]);
  });
});

/** Where one sample lands: "underflow", "overflow" or its bucket index. */
function placement(value: number): number | "underflow" | "overflow" {
  const h = new LogHistogram();
  h.record(value);
  const s = h.toSnapshot();
  if (s.underflow === 1) return "underflow";
  if (s.overflow === 1) return "overflow";
  expect(s.counts).toEqual([1]);
  return s.offset;
}

describe("LogHistogram buckets", () => {
  it("puts every value in the bucket whose bounds contain it", () => {
    const { lowestMs, highestMs } = HISTOGRAM_LAYOUT;
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), (value) => {
        const where = placement(value);
        if (value <= lowestMs) expect(where).toBe("underflow");
        else if (value > highestMs) expect(where).toBe("overflow");
        else {
          const slot = where as number;
          expect(value).toBeGreaterThan(slot === 0 ? lowestMs : bucketUpperBound(slot - 1));
          expect(value).toBeLessThanOrEqual(bucketUpperBound(slot));
        }
      }),
      { numRuns: 5000 },
    );
  });

  it("puts a value exactly on a bound in the lower bucket, and the next float up in the next", () => {
    for (let slot = 0; slot < HISTOGRAM_LAYOUT.bucketCount - 1; slot++) {
      const bound = bucketUpperBound(slot);
      expect(placement(bound)).toBe(slot);
      const above = new Float64Array([bound]);
      new BigUint64Array(above.buffer)[0]! += 1n;
      expect(placement(above[0] as number)).toBe(slot + 1);
    }
    expect(placement(HISTOGRAM_LAYOUT.lowestMs)).toBe("underflow");
    expect(placement(HISTOGRAM_LAYOUT.highestMs)).toBe(HISTOGRAM_LAYOUT.bucketCount - 1);
  });

  it("grows bucket bounds by 2^(1/48), so bounds fall on every power of two of a second", () => {
    expect(bucketUpperBound(20 * 48 - 1)).toBe(1000); // 2^0 s
    expect(bucketUpperBound(21 * 48 - 1)).toBe(2000); // 2^1 s
    expect(bucketUpperBound(0) / HISTOGRAM_LAYOUT.lowestMs).toBeCloseTo(2 ** (1 / 48), 12);
    expect(bucketUpperBound(-2)).toBeNaN();
  });

  it("treats -0 as 0", () => {
    expect(placement(-0)).toBe("underflow");
  });
});

describe("LogHistogram memory", () => {
  it("does not grow from 10^4 to 10^7 samples", () => {
    const h = new LogHistogram();
    const random = seeded(7);
    const feed = (n: number) => {
      for (let i = 0; i < n; i++) h.record(Math.exp(random() * 18 - 6));
    };
    feed(1e4);
    const bytes = h.byteLength;
    const buckets = h.toSnapshot().counts.length;
    feed(1e7 - 1e4);
    expect(h.count).toBe(1e7);
    expect(h.byteLength).toBe(bytes);
    // One Uint32 per bucket, plus one each for underflow and overflow.
    expect(bytes).toBe((HISTOGRAM_LAYOUT.bucketCount + 2) * Uint32Array.BYTES_PER_ELEMENT);
    expect(HISTOGRAM_LAYOUT.bucketCount).toBe(1536);
    expect(h.toSnapshot().counts.length).toBeLessThanOrEqual(HISTOGRAM_LAYOUT.bucketCount);
    expect(buckets).toBeLessThanOrEqual(HISTOGRAM_LAYOUT.bucketCount);
  });

  it("keeps bucket counts exact past 2^32 by carrying into a side map", () => {
    const h = new LogHistogram();
    h.record(1);
    const { offset } = h.toSnapshot();
    h.reset();
    const big = 3_000_000_000;
    const half = { count: big, total: big, min: 1, max: 1, underflow: 0, overflow: 0, offset, counts: [big] };
    h.mergeSnapshot(half);
    h.mergeSnapshot(half);
    expect(h.count).toBe(2 * big);
    expect(h.bucketCount(offset)).toBe(2 * big);
    expect(h.toSnapshot().counts).toEqual([2 * big]);
    expect(h.quantile(0.5)).toBe(1);
  });

  it("carries when one recorded increment wraps a bucket", () => {
    const h = new LogHistogram();
    h.record(1);
    const { offset } = h.toSnapshot();
    h.reset();
    h.mergeSnapshot({
      count: 2 ** 32 - 1,
      total: 2 ** 32 - 1,
      min: 1,
      max: 1,
      underflow: 0,
      overflow: 0,
      offset,
      counts: [2 ** 32 - 1],
    });
    h.record(1);
    expect(h.bucketCount(offset)).toBe(2 ** 32);
  });
});

describe("LogHistogram snapshots", () => {
  it("round-trips through JSON and merges exactly", () => {
    const a = new LogHistogram();
    const random = seeded(3);
    for (let i = 0; i < 1000; i++) a.record(Math.exp(random() * 10));
    const b = new LogHistogram();
    b.mergeSnapshot(JSON.parse(JSON.stringify(a.toSnapshot())));
    expect(b.toSnapshot()).toEqual(a.toSnapshot());
  });

  it("merges an empty snapshot as a no-op", () => {
    const a = new LogHistogram();
    a.record(2);
    a.mergeSnapshot(new LogHistogram().toSnapshot());
    expect(a.toSnapshot()).toMatchObject({ count: 1, min: 2, max: 2 });
  });

  it.each([
    ["a non-object", null],
    [
      "a negative count",
      { count: -1, total: 0, min: 0, max: 0, underflow: 0, overflow: 0, offset: 0, counts: [] },
    ],
    [
      "min above max",
      { count: 1, total: 1, min: 2, max: 1, underflow: 0, overflow: 0, offset: 0, counts: [1] },
    ],
    [
      "a NaN total",
      { count: 1, total: Number.NaN, min: 1, max: 1, underflow: 0, overflow: 0, offset: 0, counts: [1] },
    ],
    [
      "fractional counts",
      { count: 1, total: 1, min: 1, max: 1, underflow: 0, overflow: 0, offset: 0, counts: [0.5] },
    ],
    [
      "buckets past the end",
      { count: 1, total: 1, min: 1, max: 1, underflow: 0, overflow: 0, offset: 1536, counts: [1] },
    ],
    [
      "counts that do not add up",
      { count: 2, total: 1, min: 1, max: 1, underflow: 0, overflow: 0, offset: 0, counts: [1] },
    ],
  ])("rejects %s with ERR_KEEL_PERF_MONITOR_SNAPSHOT and merges nothing", (_, snapshot) => {
    const h = new LogHistogram();
    h.record(1);
    // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed input
    expect(() => h.mergeSnapshot(snapshot as any)).toThrow(
      expect.objectContaining({ code: "ERR_KEEL_PERF_MONITOR_SNAPSHOT" }),
    );
    expect(h.count).toBe(1);
  });
});

describe("LogHistogram validation", () => {
  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])("rejects the sample %s", (value) => {
    const h = new LogHistogram();
    expect(() => h.record(value)).toThrow(expect.objectContaining({ code: "ERR_KEEL_PERF_MONITOR_VALUE" }));
    expect(h.count).toBe(0);
  });

  it.each([-0.1, 1.5, Number.NaN])("rejects the quantile %s", (q) => {
    expect(() => new LogHistogram().quantile(q)).toThrow(
      expect.objectContaining({ code: "ERR_KEEL_PERF_MONITOR_QUANTILE" }),
    );
  });
});
