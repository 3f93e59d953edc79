import { EducationError } from "../errors.js";

/** How a batched maintenance job bounds its work. */
export interface BatchOptions {
  /**
   * Rows per batch; each batch is one short transaction, so it never holds locks for long.
   * @default 1000
   */
  batchSize?: number;
  /**
   * Stop after this many batches even if rows remain (`complete: false`); the next run goes on.
   * @default 1000
   */
  maxBatches?: number;
}

/** Validates and fills in {@link BatchOptions}. */
export function batchLimits(options: BatchOptions): { batchSize: number; maxBatches: number } {
  const { batchSize = 1000, maxBatches = 1000 } = options;
  for (const [name, value, max] of [
    ["batchSize", batchSize, 100_000],
    ["maxBatches", maxBatches, 1_000_000],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new EducationError(
        "ERR_KEEL_EDUCATION_CONFIG",
        `${name} must be a whole number from 1 to ${max.toLocaleString("en")}, got ${value}`,
      );
    }
  }
  return { batchSize, maxBatches };
}
