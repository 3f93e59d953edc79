import type { Metric } from "./metric.js";
import type { Clock } from "./options.js";

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/**
 * Starts a timer; the returned `end()` records the elapsed milliseconds into `resolve()` once and
 * returns them (later calls return the same figure without recording again).
 */
export function startTimer(clock: Clock, resolve: () => Metric): () => number {
  const started = clock.now();
  let elapsed: number | undefined;
  return () => {
    if (elapsed !== undefined) return elapsed;
    const now = clock.now();
    elapsed = Math.max(0, now - started);
    resolve().record(elapsed, now);
    return elapsed;
  };
}

/**
 * Runs `fn` and records its duration: when it returns, or for a promise when it settles. A throw or
 * a rejection is recorded too and counted as an error, then passed on unchanged.
 */
export function timeCall<T>(clock: Clock, resolve: () => Metric, fn: () => T): T {
  const started = clock.now();
  const finish = (failed: boolean) => {
    const now = clock.now();
    const metric = resolve();
    metric.record(Math.max(0, now - started), now);
    if (failed) metric.errors++;
  };
  let result: T;
  try {
    result = fn();
  } catch (error) {
    finish(true);
    throw error;
  }
  if (!isThenable(result)) {
    finish(false);
    return result;
  }
  return result.then(
    (value) => {
      finish(false);
      return value;
    },
    (error: unknown) => {
      finish(true);
      throw error;
    },
  ) as T;
}
