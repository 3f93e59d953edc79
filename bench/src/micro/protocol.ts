/** The messages a micro suite child sends back to the harness over IPC. */

/** How the child runs its suite (passed as one JSON argument). */
export interface MicroChildConfig {
  rounds: number;
  /** Minimum measured time per case per round, milliseconds. */
  minCpuMs: number;
  seed: number;
  /** Names of the cases to run (the selection, which always includes the baseline). */
  cases: readonly string[];
}

/** One case measured in one round. */
export interface MicroSample {
  round: number;
  name: string;
  /** Mean time per operation over the round's samples, nanoseconds. */
  nsPerOp: number;
  /** Median per-sample time per operation, nanoseconds. */
  p50Ns: number;
  /** Operations measured. */
  ops: number;
  /** Heap growth per operation between collections, bytes (approximate; NaN if never measurable). */
  heapBytesPerOp: number;
}

/** Child to parent. */
export type MicroChildMessage =
  | { type: "sample"; sample: MicroSample }
  | { type: "case-failed"; name: string; message: string }
  | { type: "done" }
  | { type: "failed"; message: string };
