import { getHeapSpaceStatistics } from "node:v8";

/**
 * Reading retained memory in a measure child (run with `--expose-gc`): heap used plus ArrayBuffer
 * backing stores, which typed arrays (lru-cache's index arrays, histogram buckets) keep outside the
 * JS heap. Read after full collections, so only what is still referenced counts.
 */

/**
 * Full garbage collections: at least three (weak references and finalizers need more than one),
 * then more until the heap stops shrinking, at most ten in all.
 */
export function settle(): void {
  if (typeof globalThis.gc !== "function") throw new Error("measure children must run with --expose-gc");
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    globalThis.gc();
    const used = process.memoryUsage().heapUsed;
    if (i >= 2 && used >= last - 1024) return;
    last = used;
  }
}

/**
 * Bytes retained now, after {@link settle}: the JS heap's used bytes outside the code spaces, plus
 * ArrayBuffer memory. Code is left out because the measuring loop itself gets optimized (and its
 * machine code allocated) while it runs: a cost of the benchmark, not of what it measures.
 */
export function retainedBytes(): number {
  settle();
  const heap = getHeapSpaceStatistics()
    .filter((space) => !space.space_name.startsWith("code_"))
    .reduce((sum, space) => sum + space.space_used_size, 0);
  return heap + process.memoryUsage().arrayBuffers;
}

/** ArrayBuffer bytes now (typed-array backing stores), after {@link settle}. */
export function arrayBufferBytes(): number {
  settle();
  return process.memoryUsage().arrayBuffers;
}
