// @keel/rate-limiter/testing: the store conformance suite, for our stores and yours.
import { afterEach, beforeEach, describe } from "vitest";
import type { RateLimitStore } from "../types.js";
import { contractSuite } from "./contract-suite.js";
import { type Harness, harness } from "./harness.js";
import type { ManualClock } from "./manual-clock.js";
import { exactSuite, timeSuite } from "./time-suite.js";

export { type ManualClock, manualClock } from "./manual-clock.js";

/**
 * Options of {@link runRateLimitStoreConformance}.
 *
 * @example
 * ```ts
 * const clock = manualClock();
 * const options: StoreConformanceOptions = { name: "memory", createStore: () => memoryStore({ clock }), clock };
 * ```
 */
export interface StoreConformanceOptions {
  /** The name of the `describe` block, e.g. `"memory"` or `"redis (ioredis)"`. */
  readonly name: string;
  /**
   * Creates a fresh store for each test; it is closed after the test. Keys are unique per run, so a
   * store on a shared server needs no flushing (give it a unique prefix anyway).
   */
  readonly createStore: () => RateLimitStore | Promise<RateLimitStore>;
  /**
   * The clock the created stores read, when they read an injected one (the memory store does, Redis
   * reads its own `TIME`). With it the suite moves time itself and asserts exact milliseconds;
   * without it, the two tests that need time to pass wait about a second each in real time.
   */
  readonly clock?: ManualClock;
}

/**
 * Registers the rate-limit store conformance suite with vitest: the behaviour every
 * {@link RateLimitStore} must show so that a limiter decides the same on any store (quotas, refusals
 * that never spend, costs above capacity, peeks, atomic multi-policy decisions, blocks, refunds,
 * resets, concurrent requests, odd keys, and, with a controllable clock, every algorithm to the
 * millisecond). Call it at the top level of a test file; vitest must be installed (an optional peer
 * dependency).
 *
 * @example
 * ```ts
 * // test/my-store.test.ts
 * import { manualClock, runRateLimitStoreConformance } from "@keel/rate-limiter/testing";
 * import { myStore } from "../src/my-store.js";
 *
 * const clock = manualClock();
 * runRateLimitStoreConformance({ name: "my store", createStore: () => myStore({ clock }), clock });
 * ```
 */
export function runRateLimitStoreConformance(options: StoreConformanceOptions): void {
  const { name, createStore, clock } = options;
  describe(`${name}: rate-limit store conformance`, () => {
    let current: Harness | undefined;
    const h = (): Harness => {
      if (current === undefined) throw new Error("conformance harness used outside a test");
      return current;
    };
    beforeEach(async () => {
      current = harness(await createStore(), clock);
    });
    afterEach(async () => {
      await current?.store.close();
      current = undefined;
    });

    contractSuite(h);
    describe("over time", () => timeSuite(h));
    describe.runIf(clock !== undefined)("to the millisecond (controllable clock)", () => exactSuite(h));
  });
}
