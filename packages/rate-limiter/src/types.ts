/**
 * The algorithms a limiter can run. Each is specified in the TSDoc of its file under `algorithms/`.
 *
 * @example
 * ```ts
 * const algorithm: RateLimitAlgorithm = "gcra";
 * ```
 */
export type RateLimitAlgorithm = "fixed-window" | "sliding-window" | "token-bucket" | "gcra";

/**
 * One limit a key must respect, in the units a store works in (milliseconds, not seconds).
 * Several policies on one key (say 10 per second and 1,000 per day) are decided together.
 *
 * @example
 * ```ts
 * const perSecond: RateLimitPolicy = { name: "10/1s", algorithm: "gcra", limit: 10, windowMs: 1_000, burst: 20 };
 * ```
 */
export interface RateLimitPolicy {
  /** A stable name, unique within one limiter, reported when this policy refuses (e.g. `"10/1s"`). */
  readonly name: string;
  /** The algorithm that decides this policy. */
  readonly algorithm: RateLimitAlgorithm;
  /** Units admitted per window. A positive integer. */
  readonly limit: number;
  /** Window length in milliseconds. A positive integer. */
  readonly windowMs: number;
  /** Burst capacity for `token-bucket` and `gcra`, in units; defaults to `limit`. Ignored by window algorithms. */
  readonly burst?: number;
  /** Once refused, the key stays refused for this many milliseconds. 0 (the default) means no block. */
  readonly blockMs?: number;
}

/**
 * What a store is asked to decide, atomically, for one key.
 *
 * @example
 * ```ts
 * const [decision] = await store.consume({ key: "user:42", policies: limiter.policies, cost: 1 });
 * ```
 */
export interface ConsumeRequest {
  /** The client key (user id, IP subnet, ...). Stores prefix and hash-tag it themselves. */
  readonly key: string;
  /** The policies to decide together: admitted only when every one admits; when any refuses, none consumes. */
  readonly policies: readonly RateLimitPolicy[];
  /** Units this request spends, a positive integer; 0 peeks without consuming or creating state. */
  readonly cost: number;
}

/**
 * A store's decision for one policy; `decisions[i]` answers `policies[i]`.
 *
 * @example
 * ```ts
 * const decision: PolicyDecision = { allowed: false, remaining: 0, resetAt: 1_700_000_060_000, retryAfterMs: 4_500 };
 * ```
 */
export interface PolicyDecision {
  /** Whether this policy admits the request (for a peek: whether a request of cost 1 would be admitted). */
  readonly allowed: boolean;
  /** Units left after this decision; never negative. */
  readonly remaining: number;
  /** Epoch milliseconds at which the full quota is available again. */
  readonly resetAt: number;
  /** Milliseconds until the same request would be admitted by this policy; 0 when allowed. */
  readonly retryAfterMs: number;
  /** Epoch milliseconds until which the key is blocked by `blockMs`, when it is. */
  readonly blockedUntil?: number;
}

/**
 * Optional abilities a store declares instead of being probed at runtime.
 *
 * @example
 * ```ts
 * if (!store.capabilities.shared) console.warn("limits are per process");
 * ```
 */
export interface RateLimitStoreCapabilities {
  /** Decisions are shared by every process using the same backing service (Redis: true, memory: false). */
  readonly shared: boolean;
  /** The store reads time from its own server (Redis `TIME`) rather than the injected clock. */
  readonly serverClock: boolean;
  /**
   * The store decides in the calling tick and offers {@link RateLimitStore.consumeSync}, so the limiter
   * skips the promise and the timeout (a synchronous call cannot hang). In-process stores only.
   * @default false
   */
  readonly synchronous?: boolean;
}

/**
 * Where a limiter keeps its state. Every method must be atomic per key: two concurrent `consume` calls
 * on one key must behave as if run one after the other, across every process sharing the store.
 *
 * Write a store by implementing the four algorithms' state transitions (see `algorithms/`) and run
 * `runRateLimitStoreConformance` from `@keel/rate-limiter/testing` against it.
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter({ store: redisStore({ client }), limit: 100, window: 60 });
 * ```
 */
export interface RateLimitStore {
  /** A short name used in error messages and events, e.g. `"memory"`, `"redis"`. */
  readonly name: string;
  /** What this store can do. */
  readonly capabilities: RateLimitStoreCapabilities;
  /** Decides and (when allowed and `cost > 0`) consumes, atomically across all policies. */
  consume(request: ConsumeRequest): Promise<PolicyDecision[]>;
  /**
   * The same decision as `consume`, returned synchronously (throws instead of rejecting). Present exactly
   * when `capabilities.synchronous` is true; the limiter then calls it instead of `consume`.
   */
  consumeSync?(request: ConsumeRequest): PolicyDecision[];
  /** Gives `units` back to every policy of `key`, never beyond the limit and never into a window that has expired. */
  refund(key: string, policies: readonly RateLimitPolicy[], units: number): Promise<void>;
  /** Forgets every policy's state (and block) for `key`. */
  reset(key: string, policies: readonly RateLimitPolicy[]): Promise<void>;
  /** Drops expired state now; resolves to the number of keys dropped (stores that expire by themselves return 0). */
  cleanup(): Promise<number>;
  /** Releases timers and in-process state; never closes a client the user passed in. */
  close(): Promise<void>;
}
