import { describe, expect, it } from "vitest";
import type { HttpEntry } from "../../src/http/entry.js";
import type { HttpSample } from "../../src/http/runner.js";
import { summarizeHttp } from "../../src/http/summary.js";

function entry(name: string, baseline: string): HttpEntry {
  return {
    name,
    group: "g",
    framework: "express",
    baseline,
    path: "/",
    requires: [],
    file: "",
    control: false,
  };
}

function sample(
  name: string,
  round: number,
  rps: number,
  cpu: number,
  extra: Partial<HttpSample> = {},
): HttpSample {
  return {
    round,
    name,
    requests: rps,
    durationSec: 1,
    rps,
    p50Ms: 1,
    p99Ms: cpu / 10,
    cpuUserMicros: cpu * rps,
    cpuSystemMicros: 0,
    cpuMicrosPerRequest: cpu,
    non2xx: 0,
    errors: 0,
    counters: {},
    ...extra,
  };
}

describe("summarizeHttp", () => {
  const entries = [entry("base", "base"), entry("mw", "base")];

  it("compares each round with the baseline of the same round, then takes medians", () => {
    // The machine slows down in round 2: both halve, so the per-round ratio stays 0.5.
    const samples = [
      sample("base", 0, 1000, 100),
      sample("mw", 0, 500, 130),
      sample("base", 1, 400, 250),
      sample("mw", 1, 200, 280),
      sample("base", 2, 1000, 100),
      sample("mw", 2, 500, 131),
    ];
    const [base, mw] = summarizeHttp(entries, samples);
    expect(mw?.rpsRatio).toBe(0.5);
    expect(mw?.cpuDiffMicros).toBe(30);
    expect(mw?.rps).toBe(500);
    expect(mw?.cpuMicrosPerRequest).toBe(131);
    expect(mw?.rounds).toBe(3);
    expect(base?.rpsRatio).toBe(1);
    expect(base?.cpuDiffMicros).toBe(0);
  });

  it("leaves the comparison out of a round in which the baseline failed", () => {
    const samples = [sample("base", 0, 1000, 100), sample("mw", 0, 500, 120), sample("mw", 1, 1, 999)];
    const mw = summarizeHttp(entries, samples)[1];
    expect(mw?.rpsRatio).toBe(0.5);
    expect(mw?.cpuDiffMicros).toBe(20);
  });

  it("reports counters per request and counts bad responses", () => {
    const samples = [
      sample("base", 0, 1000, 100),
      sample("mw", 0, 1000, 100, { counters: { redis: 1000 }, non2xx: 3, errors: 1 }),
      sample("mw", 1, 500, 100, { counters: { redis: 1000 }, non2xx: 2 }),
    ];
    const mw = summarizeHttp(entries, samples)[1];
    expect(mw?.countersPerRequest).toEqual({ redis: 1.5 });
    expect(mw?.bad).toBe(6);
  });

  it("keeps a row with no samples, with NaN numbers", () => {
    const mw = summarizeHttp(entries, [])[1];
    expect(mw?.rounds).toBe(0);
    expect(mw?.rps).toBeNaN();
  });
});
