/** Where a run's output goes, and what each part of a run reports back. */

/** Tables and summaries go to `out` (stdout); progress lines go to `log` (stderr). */
export interface Io {
  out: (text: string) => void;
  log: (line: string) => void;
}

/** What one part of a run (HTTP or micro) did: the JSON file it wrote, and how many measurements failed. */
export interface SuiteOutcome {
  file?: string;
  failed: number;
}
