/**
 * What a measure suite file exports. A measure suite is one file under `bench/measure/`, exporting
 * `suite`: cases that each run ONCE, in a fresh child process of their own (`--expose-gc`), and
 * report numbers that are not times per call: heap bytes per key, fetches run, Redis commands per
 * request, a reader's p99 while something else runs. Counts and bytes do not need rounds; a case
 * that measures time says so in its columns and runs its own baseline phase.
 */
import type { Service } from "../http/variant.js";

/** One column of a measure table: the key in each case's `values`, its header and decimals. */
export interface MeasureColumn {
  key: string;
  header: string;
  /** Decimals shown. @default 0 */
  digits?: number;
}

/** What one case reports: a number per column (missing ones print as n/a) and an optional note. */
export interface MeasureResult {
  values: Record<string, number>;
  note?: string;
}

/** One case of a measure suite. */
export interface MeasureCase {
  /** Unique within the suite, shown in the table. */
  name: string;
  /** Services that must be available for this case to run; it is skipped, loudly, otherwise. */
  requires?: readonly Service[];
  /** Why this case cannot run here; it is listed as not run, with this reason. */
  unavailable?: string;
  /** Measures, in the child process, and reports. Must release what it opened (private servers, keys). */
  run(): Promise<MeasureResult>;
}

/** The descriptor a measure suite file exports as `suite`. */
export interface MeasureSuite {
  /** Unique; the file's name: `"rate-limit-memory"`. */
  name: string;
  /** The package it informs, used by `pnpm run bench <group>`. */
  group: string;
  /** One line saying what is measured, shown above the table. */
  title: string;
  columns: readonly MeasureColumn[];
  /**
   * A case every other case is compared with on the `compare` column: the table gets a
   * `<header> vs base` column (value ÷ the baseline's value).
   */
  baseline?: string;
  /** The column key compared with the baseline's. */
  compare?: string;
  /** Seconds one case may take before its process is killed. @default 120 */
  timeoutSec?: number;
  cases: readonly MeasureCase[];
}
