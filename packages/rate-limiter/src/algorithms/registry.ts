import type { RateLimitAlgorithm } from "../types.js";
import type { Algorithm } from "./algorithm.js";
import { type FixedWindowState, fixedWindow } from "./fixed-window.js";
import { type GcraState, gcra } from "./gcra.js";
import { type SlidingWindowState, slidingWindow } from "./sliding-window.js";
import { type TokenBucketState, tokenBucket } from "./token-bucket.js";

/**
 * The state type each algorithm keeps per key and policy.
 *
 * @example
 * ```ts
 * import type { AlgorithmStates } from "@keel/rate-limiter";
 *
 * type State = AlgorithmStates["gcra"]; // GcraState
 * ```
 */
export interface AlgorithmStates {
  /** See {@link fixedWindow}. */
  "fixed-window": FixedWindowState;
  /** See {@link slidingWindow}. */
  "sliding-window": SlidingWindowState;
  /** See {@link tokenBucket}. */
  "token-bucket": TokenBucketState;
  /** See {@link gcra}. */
  gcra: GcraState;
}

/**
 * Every algorithm by name, for stores written in JavaScript that look one up from a policy.
 *
 * @example
 * ```ts
 * import { algorithms } from "@keel/rate-limiter";
 *
 * const algorithm = algorithms["sliding-window"];
 * const state = algorithm.empty();
 * ```
 */
export const algorithms: { readonly [A in RateLimitAlgorithm]: Algorithm<AlgorithmStates[A]> } = {
  "fixed-window": fixedWindow,
  "sliding-window": slidingWindow,
  "token-bucket": tokenBucket,
  gcra,
};

/** The algorithm names, in a stable order (for validation messages and property tests). */
export const algorithmNames: readonly RateLimitAlgorithm[] = [
  "fixed-window",
  "sliding-window",
  "token-bucket",
  "gcra",
];
