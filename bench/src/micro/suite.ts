/**
 * What a micro-benchmark suite file exports. A suite is one file under `bench/micro/`, exporting
 * `suite`: a set of cases measured against one named baseline case, in the same process and run.
 */
import type { Service } from "../http/variant.js";

/** The function measured: called in a tight loop; if it returns a promise, each call is awaited. */
export type MicroBody = () => unknown;

/**
 * What a case's `setup` returns: the body, or the body plus a `teardown` run once after the last
 * round (to delete the keys a case wrote to a shared Redis, close its connections).
 */
export type MicroSetup = MicroBody | { body: MicroBody; teardown: () => unknown };

/** One case of a suite. */
export interface MicroCase {
  /** Unique within the suite, shown in the table: `"lru-cache get (awaited)"`. */
  name: string;
  /** Services that must answer for this case to run; it is skipped, loudly, otherwise. */
  requires?: readonly Service[];
  /**
   * Why this case cannot run here (a peer that does not support this Node, say). It is listed as
   * not run, with this reason, instead of being measured or silently dropped.
   */
  unavailable?: string;
  /**
   * Builds the state (a cache holding the key, a limiter, a histogram) and returns the body (or the
   * body and a teardown). Runs once per case per process, outside the measurement.
   */
  setup(): MicroSetup | Promise<MicroSetup>;
}

/** The descriptor a suite file exports as `suite`. */
export interface MicroSuite {
  /** Unique; the file's name: `"cache-get"`. */
  name: string;
  /** The package it informs, used by `pnpm run bench <group>`: `"cache"`, `"rate-limiter"`, `"perf-monitor"`. */
  group: string;
  /** One line saying what one operation is, shown above the table. */
  title: string;
  /** Name of the case every other case is compared against. */
  baseline: string;
  cases: readonly MicroCase[];
}
