/** From per-round micro samples to one row per case, compared with the baseline round by round. */
import { median, range, ratio } from "../stats.js";
import type { MicroSample } from "./protocol.js";

/** One case's result across rounds. */
export interface MicroRow {
  name: string;
  baseline: boolean;
  rounds: number;
  /** Median over rounds of the mean time per operation, nanoseconds. */
  nsPerOp: number;
  /** Lowest and highest ns/op over rounds. */
  nsRange: { min: number; max: number };
  /** Operations per second implied by {@link MicroRow.nsPerOp}. */
  opsPerSec: number;
  /** Median over rounds of (ns/op / baseline ns/op in that round): 1.25 means 25% more time. */
  timeRatio: number;
  /** Median heap growth per operation, bytes (approximate). */
  heapBytesPerOp: number;
  /** Why it has no numbers (not run here, or failed), if so. */
  note?: string;
}

/** Summarises one suite's samples; cases with no samples keep their row, with the reason as a note. */
export function summarizeMicro(
  names: readonly string[],
  baseline: string,
  samples: readonly MicroSample[],
  notes: ReadonlyMap<string, string> = new Map(),
): MicroRow[] {
  const baseOf = (round: number) => samples.find((s) => s.name === baseline && s.round === round)?.nsPerOp;
  return names.map((name) => {
    const own = samples.filter((s) => s.name === name);
    const nsPerOp = median(own.map((s) => s.nsPerOp));
    const note = notes.get(name);
    return {
      name,
      baseline: name === baseline,
      rounds: own.length,
      nsPerOp,
      nsRange: range(own.map((s) => s.nsPerOp)),
      opsPerSec: 1e9 / nsPerOp,
      timeRatio: median(own.map((s) => ratio(s.nsPerOp, baseOf(s.round)))),
      heapBytesPerOp: median(own.map((s) => s.heapBytesPerOp)),
      ...(note === undefined ? {} : { note }),
    };
  });
}
