/**
 * From per-round samples to one row per entry. Every comparison is made inside a round (the entry
 * against its baseline measured minutes apart at most, on the same machine state), and only then
 * is the median taken across rounds.
 */
import { difference, median, range, ratio } from "../stats.js";
import type { HttpEntry } from "./entry.js";
import type { HttpSample } from "./runner.js";

/** One entry's result across rounds: medians, and medians of its per-round comparisons. */
export interface HttpRow {
  name: string;
  group: string;
  framework: string;
  baseline: string;
  control: boolean;
  /** Rounds that produced a sample. */
  rounds: number;
  rps: number;
  /** Median over rounds of (req/s / baseline req/s in that round). */
  rpsRatio: number;
  p99Ms: number;
  /** Median over rounds of (p99 - baseline p99 in that round), milliseconds. */
  p99DiffMs: number;
  cpuMicrosPerRequest: number;
  /** Lowest and highest CPU µs/req over rounds: how much the machine moved it. */
  cpuRange: { min: number; max: number };
  /** Median over rounds of (CPU µs/req - baseline CPU µs/req in that round). */
  cpuDiffMicros: number;
  /** Median per-request value of each counter the variant reports. */
  countersPerRequest: Record<string, number>;
  /** Non-2xx responses and connection errors, summed over rounds: a non-zero value taints the row. */
  bad: number;
}

/** Summarises `samples` into one row per entry, in the order of `entries`. */
export function summarizeHttp(entries: readonly HttpEntry[], samples: readonly HttpSample[]): HttpRow[] {
  const sampleOf = (name: string, round: number) => samples.find((s) => s.name === name && s.round === round);
  return entries.map((entry) => {
    const own = samples.filter((s) => s.name === entry.name);
    const paired = own.map((sample) => ({ sample, base: sampleOf(entry.baseline, sample.round) }));
    const counterNames = [...new Set(own.flatMap((s) => Object.keys(s.counters)))];
    return {
      name: entry.name,
      group: entry.group,
      framework: entry.framework,
      baseline: entry.baseline,
      control: entry.control,
      rounds: own.length,
      rps: median(own.map((s) => s.rps)),
      rpsRatio: median(paired.map(({ sample, base }) => ratio(sample.rps, base?.rps))),
      p99Ms: median(own.map((s) => s.p99Ms)),
      p99DiffMs: median(paired.map(({ sample, base }) => difference(sample.p99Ms, base?.p99Ms))),
      cpuMicrosPerRequest: median(own.map((s) => s.cpuMicrosPerRequest)),
      cpuRange: range(own.map((s) => s.cpuMicrosPerRequest)),
      cpuDiffMicros: median(
        paired.map(({ sample, base }) => difference(sample.cpuMicrosPerRequest, base?.cpuMicrosPerRequest)),
      ),
      countersPerRequest: Object.fromEntries(
        counterNames.map((counter) => [
          counter,
          median(own.map((s) => (s.counters[counter] ?? 0) / s.requests)),
        ]),
      ),
      bad: own.reduce((sum, s) => sum + s.non2xx + s.errors, 0),
    };
  });
}
