import type { RateLimiter, RateLimitResult } from "../../src/rate-limiter.js";

/** What a load run saw: every check's outcome, counted. */
export interface LoadReport {
  /** Checks started. */
  readonly checks: number;
  /** Checks that resolved later than the bound after they started. */
  readonly late: number;
  /** The slowest answer, in ms (reported for diagnosis, never asserted). */
  readonly slowestMs: number;
  /** Checks that rejected (a limiter must always answer). */
  readonly rejected: number;
  /** Results by reason (`ok` for an ordinary admission). */
  readonly reasons: Readonly<Record<string, number>>;
  /** Results decided by `onStoreError`, by whether they admitted. */
  readonly storeErrors: { readonly allowed: number; readonly refused: number };
}

/**
 * Runs checks in rounds of `concurrency`, 5 ms apart, until `stop()` is called or `maxChecks` have started, spread
 * over `keys` keys. Every check is timed from its call to its answer; one answering later than
 * `boundMs` counts as late. Bounded in count (maxChecks) and, through the limiter's storeTimeout, in time.
 */
export function startLoad(
  limiter: RateLimiter,
  options: { keyPrefix: string; keys: number; concurrency: number; boundMs: number; maxChecks: number },
): { stop(): Promise<LoadReport> } {
  let running = true;
  let checks = 0;
  let late = 0;
  let slowestMs = 0;
  let rejected = 0;
  const reasons: Record<string, number> = {};
  const storeErrors = { allowed: 0, refused: 0 };

  function record(result: RateLimitResult): void {
    const reason = result.reason ?? "ok";
    reasons[reason] = (reasons[reason] ?? 0) + 1;
    if (reason === "store-error") storeErrors[result.allowed ? "allowed" : "refused"] += 1;
  }

  async function one(): Promise<void> {
    const key = `${options.keyPrefix}${checks % options.keys}`;
    checks += 1;
    const started = performance.now();
    try {
      record(await limiter.check(key));
    } catch {
      rejected += 1;
    }
    const took = performance.now() - started;
    slowestMs = Math.max(slowestMs, took);
    if (took > options.boundMs) late += 1;
  }

  const loop = (async () => {
    while (running && checks < options.maxChecks) {
      await Promise.all(Array.from({ length: options.concurrency }, one));
      // A short gap between rounds: steady load that leaves CPU to the fault actions and other suites.
      await pause(5);
    }
  })();

  return {
    async stop() {
      running = false;
      await loop;
      return { checks, late, slowestMs, rejected, reasons, storeErrors };
    },
  };
}

/** Resolves after `ms` (real time: the fault tests pace real Redis failures). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
