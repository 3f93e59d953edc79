/** An HTTP variant as the harness schedules it: its descriptor's fields plus where it lives. */
import type { Framework, Service } from "./variant.js";

/** One HTTP entry to measure: a variant file, or an A/A copy of a baseline (same file, new name). */
export interface HttpEntry {
  name: string;
  group: string;
  framework: Framework;
  /** Name of the entry compared against in the same round. */
  baseline: string;
  path: string;
  requires: readonly Service[];
  /** Absolute path of the variant file. */
  file: string;
  /** True for an A/A control: a second copy of a baseline, showing the noise floor. */
  control: boolean;
}

/** The A/A control of a baseline entry: the same server, run as a separate entry. */
export function controlOf(entry: HttpEntry): HttpEntry {
  return { ...entry, name: `${entry.name} (A/A)`, baseline: entry.name, control: true };
}
