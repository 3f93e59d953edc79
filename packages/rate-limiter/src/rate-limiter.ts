import { CallDeadlines } from "@keel/http";
import { capacityOf } from "./algorithms/algorithm.js";
import { type Clock, systemClock } from "./clock.js";
import { describeValue, RateLimiterError } from "./errors.js";
import { Emitter, type RateLimiterEvents } from "./events.js";
import { buildPolicy, type RateLimiterOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { fromDecision, fromDecisions, overCapacity, type RateLimitResult, withoutStore } from "./result.js";
import { callStore, storeError } from "./store-call.js";
import { type ConsumeInto, consumeInto, type DecisionSlot, decisionSlot } from "./stores/decide-into.js";
import { memoryStore } from "./stores/memory.js";
import type { PolicyDecision, RateLimitPolicy, RateLimitStore } from "./types.js";

export type { RateLimitResult } from "./result.js";

/**
 * Internal to the package (not exported from its entry points): the middleware's `check(key)`,
 * which returns the result itself, without a promise, when an in-process store decided.
 */
export const checkNow: unique symbol = Symbol("@keel/rate-limiter.checkNow");

/**
 * Per-call options of {@link RateLimiter.check}.
 *
 * @example
 * ```ts
 * await limiter.check("user:42", { cost: 5 }); // an export that costs 5 units
 * await limiter.check("user:42", { limit: 10, window: 1 }); // a one-off policy, "10/1s"
 * ```
 */
export interface CheckOptions {
  /** Units per window of a one-off policy for this call (named `${limit}/${window}s`). @default the limiter's */
  readonly limit?: number;
  /** Window in seconds of a one-off policy for this call. @default the limiter's first policy's */
  readonly window?: number;
  /** Units this request spends: a non-negative integer; 0 peeks. @default 1 */
  readonly cost?: number;
}

/**
 * Counters since the limiter was created.
 *
 * @example
 * ```ts
 * const { checks, refused, storeErrors } = limiter.stats();
 * ```
 */
export interface RateLimiterStats {
  /** Checks and peeks answered. */
  readonly checks: number;
  /** Checks admitted. */
  readonly allowed: number;
  /** Checks refused. */
  readonly refused: number;
  /** Store calls that failed, timeouts included. */
  readonly storeErrors: number;
  /** Store calls that timed out. */
  readonly storeTimeouts: number;
  /** Checks decided without the main store (by `onStoreError` or the `insurance` store). */
  readonly fallbacks: number;
}

/**
 * A rate limiter: decides per key whether a request is admitted, under one or several policies.
 *
 * @example
 * ```ts
 * const limiter = createRateLimiter({ limit: 100, window: 60 });
 * const { allowed, remaining, retryAfter } = await limiter.check(`user:${userId}`);
 * ```
 */
export interface RateLimiter {
  /** The limiter's policies, in store units (milliseconds). */
  readonly policies: readonly RateLimitPolicy[];
  /** The main store. */
  readonly store: RateLimitStore;
  /** The clock the limiter reads (epoch ms). */
  readonly clock: Clock;
  /**
   * Decides one request for `key` and spends one unit when admitted. With `limit` (and `window`, in
   * seconds), decides under a one-off policy instead, as the original did.
   */
  check(key: string, limit?: number, window?: number): Promise<RateLimitResult>;
  /** Decides one request for `key` with per-call options (`cost`, or a one-off `limit`/`window`). */
  check(key: string, options: CheckOptions): Promise<RateLimitResult>;
  /** Peeks: what a request of cost 1 would get, without spending or creating anything. */
  get(key: string, options?: Omit<CheckOptions, "cost">): Promise<RateLimitResult>;
  /**
   * Gives `units` back to `key` (e.g. for a request that should not count), never above the limit and
   * never into a window that has ended.
   */
  refund(key: string, units?: number, options?: Omit<CheckOptions, "cost">): Promise<void>;
  /** Forgets `key` under every policy this limiter has used, one-off ones included. */
  reset(key: string): Promise<void>;
  /** Drops expired state now; resolves to the number of keys dropped (Redis expires keys itself: 0). */
  cleanup(): Promise<number>;
  /** Stops the limiter and closes the store it created (never a store it was given). */
  close(): Promise<void>;
  /** Listens to an event (see {@link RateLimiterEvents}); returns a function that stops listening. */
  on<E extends keyof RateLimiterEvents>(
    event: E,
    listener: (payload: RateLimiterEvents[E]) => void,
  ): () => void;
  /** Stops a listener. */
  off<E extends keyof RateLimiterEvents>(event: E, listener: (payload: RateLimiterEvents[E]) => void): void;
  /** Counters since creation. */
  stats(): RateLimiterStats;
}

/** The most one-off policies remembered (for `reset`); past it the oldest is forgotten. */
const MAX_ONE_OFF = 1_000;

interface PolicySet {
  readonly policies: readonly RateLimitPolicy[];
  /** The smallest capacity among them: a cost above it is refused without spending. */
  readonly capacity: number;
}

function noConsumeInto(): never {
  throw new Error("unreachable: this store has no consumeInto");
}

function policySet(policies: readonly RateLimitPolicy[]): PolicySet {
  return { policies, capacity: Math.min(...policies.map(capacityOf)) };
}

class Limiter implements RateLimiter {
  readonly policies: readonly RateLimitPolicy[];
  readonly store: RateLimitStore;
  readonly clock: Clock;
  readonly #options: ResolvedOptions;
  readonly #defaults: PolicySet;
  readonly #oneOff = new Map<string, PolicySet>();
  readonly #ownsStore: boolean;
  readonly #sync: boolean;
  readonly #consumeSync: NonNullable<RateLimitStore["consumeSync"]>;
  /** The memory store's allocation-free single-policy consume, and the slot it writes into. */
  readonly #consumeInto: ConsumeInto;
  /** Whether {@link #consumeInto} is the store's (else a placeholder, so the field is always a function). */
  readonly #into: boolean;
  /** No allow or deny list. */
  readonly #noLists: boolean;
  /**
   * Whether `check(key)` takes the hot path: one policy (cost 1 always fits), an in-process store,
   * no lists. Decided once, so the code for other limiters (Redis, lists) never runs through it and
   * V8 compiles it small.
   */
  readonly #fast: boolean;
  readonly #slot: DecisionSlot = decisionSlot();
  readonly #deadlines: CallDeadlines;
  readonly #events = new Emitter<RateLimiterEvents>();
  readonly #stats = { checks: 0, allowed: 0, refused: 0, storeErrors: 0, storeTimeouts: 0, fallbacks: 0 };
  #closed = false;
  /** Failures since the last success; while > 0 only one call at a time tries the main store. */
  #failures = 0;
  #probing = false;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.clock = options.clock ?? systemClock;
    this.policies = options.policies;
    this.#defaults = policySet(options.policies);
    this.#deadlines = new CallDeadlines(options.storeTimeout);
    this.#ownsStore = options.store === undefined;
    this.store = options.store ?? memoryStore({ clock: this.clock });
    const { consumeSync } = this.store;
    this.#sync = this.store.capabilities.synchronous === true && consumeSync !== undefined;
    this.#consumeSync = this.#sync
      ? (consumeSync as NonNullable<typeof consumeSync>).bind(this.store)
      : () => [];
    const into = (this.store as { [consumeInto]?: ConsumeInto })[consumeInto];
    this.#into = this.#sync && typeof into === "function";
    // Always a function: a field that is undefined on some limiters slows the check of every other.
    this.#consumeInto = this.#into ? (into as ConsumeInto) : noConsumeInto;
    this.#noLists = options.denies === undefined && options.allows === undefined;
    this.#fast =
      this.#into && this.#noLists && this.#defaults.policies.length === 1 && this.#defaults.capacity >= 1;
  }

  check(key: string, limitOrOptions?: number | CheckOptions, window?: number): Promise<RateLimitResult> {
    // The common call, check(key), is kept apart and small: V8 inlines it whole into its caller.
    if (limitOrOptions !== undefined || window !== undefined)
      return this.#checkWith(key, limitOrOptions, window);
    try {
      this.#assertUsable(key);
      if (!this.#fast) return this.#decide(key, this.#defaults, 1);
      this.#stats.checks++;
      // A native promise (from a failing store's fallback) comes back from Promise.resolve unchanged.
      return Promise.resolve(this.#decideInto(key, this.#defaults, 1));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #checkWith(
    key: string,
    limitOrOptions: number | CheckOptions | undefined,
    window: number | undefined,
  ): Promise<RateLimitResult> {
    try {
      this.#assertUsable(key);
      const options: { limit?: number | undefined; window?: number | undefined; cost?: number | undefined } =
        typeof limitOrOptions === "object" && limitOrOptions !== null
          ? limitOrOptions
          : { limit: limitOrOptions, window };
      const cost = options.cost ?? 1;
      if (!Number.isSafeInteger(cost) || cost < 0) {
        throw new RateLimiterError(
          "ERR_KEEL_RATE_LIMIT_COST",
          `cost must be a non-negative integer, got ${describeValue(cost)}`,
        );
      }
      return this.#decide(key, this.#policySet(options.limit, options.window), cost);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  get(key: string, options: Omit<CheckOptions, "cost"> = {}): Promise<RateLimitResult> {
    try {
      this.#assertUsable(key);
      return this.#decide(key, this.#policySet(options.limit, options.window), 0);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async refund(key: string, units = 1, options: Omit<CheckOptions, "cost"> = {}): Promise<void> {
    this.#assertUsable(key);
    if (!Number.isSafeInteger(units) || units < 0) {
      throw new RateLimiterError(
        "ERR_KEEL_RATE_LIMIT_COST",
        `refund units must be a non-negative integer, got ${describeValue(units)}`,
      );
    }
    if (units === 0) return;
    const { policies } = this.#policySet(options.limit, options.window);
    const insurance = this.#options.insurance;
    // Units spent while the main store was failing were spent in the insurance store.
    if (this.#failures > 0 && insurance !== undefined)
      return this.#run(insurance, "refund", key, () => insurance.refund(key, policies, units));
    return this.#run(this.store, "refund", key, () => this.store.refund(key, policies, units));
  }

  async reset(key: string): Promise<void> {
    this.#assertUsable(key);
    const policies = [...this.policies, ...[...this.#oneOff.values()].flatMap((set) => set.policies)];
    const insurance = this.#options.insurance;
    if (insurance !== undefined)
      await this.#run(insurance, "reset", key, () => insurance.reset(key, policies));
    return this.#run(this.store, "reset", key, () => this.store.reset(key, policies));
  }

  async cleanup(): Promise<number> {
    if (this.#closed) return 0;
    const insurance = this.#options.insurance;
    const insured =
      insurance === undefined
        ? 0
        : await this.#run(insurance, "cleanup", undefined, () => insurance.cleanup());
    return insured + (await this.#run(this.store, "cleanup", undefined, () => this.store.cleanup()));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsStore) await this.store.close();
  }

  on<E extends keyof RateLimiterEvents>(
    event: E,
    listener: (payload: RateLimiterEvents[E]) => void,
  ): () => void {
    return this.#events.on(event, listener);
  }

  off<E extends keyof RateLimiterEvents>(event: E, listener: (payload: RateLimiterEvents[E]) => void): void {
    this.#events.off(event, listener);
  }

  stats(): RateLimiterStats {
    return { ...this.#stats };
  }

  #assertUsable(key: unknown): void {
    if (this.#closed || typeof key !== "string" || key.length === 0) this.#unusable(key);
  }

  #unusable(key: unknown): never {
    if (this.#closed)
      throw new RateLimiterError(
        "ERR_KEEL_RATE_LIMIT_CLOSED",
        "the rate limiter was used after close(); create a new one",
      );
    throw new RateLimiterError(
      "ERR_KEEL_RATE_LIMIT_KEY",
      `key must be a non-empty string, got ${describeValue(key)}`,
    );
  }

  /** The default policies, or a one-off policy for `limit` per `window` seconds (cached by value). */
  #policySet(limit: number | undefined, window: number | undefined): PolicySet {
    if (limit === undefined && window === undefined) return this.#defaults;
    // A Symbol or BigInt would throw a TypeError below (in the id or the arithmetic): say what it was.
    if (
      (limit !== undefined && typeof limit !== "number") ||
      (window !== undefined && typeof window !== "number")
    ) {
      throw new RateLimiterError(
        "ERR_KEEL_RATE_LIMIT_POLICY",
        `a one-off limit and window must be numbers, got ${describeValue(limit)} and ${describeValue(window)}`,
      );
    }
    const base = this.policies[0] as RateLimitPolicy;
    const l = limit ?? base.limit;
    const w = window ?? base.windowMs / 1000;
    if (this.policies.length === 1 && l === base.limit && w * 1000 === base.windowMs) return this.#defaults;
    const id = `${l}/${w}s`;
    let set = this.#oneOff.get(id);
    if (set === undefined) {
      const blockDuration = this.#options.blockMs / 1000;
      set = policySet([
        buildPolicy({ name: id, limit: l, window: w, blockDuration }, this.#options.algorithm, "check"),
      ]);
      if (this.#oneOff.size >= MAX_ONE_OFF) this.#oneOff.delete(this.#oneOff.keys().next().value as string);
      this.#oneOff.set(id, set);
    }
    return set;
  }

  #decide(key: string, set: PolicySet, cost: number): Promise<RateLimitResult> {
    const decided = this.#decideNow(key, set, cost);
    return decided instanceof Promise ? decided : Promise.resolve(decided);
  }

  /** {@link check} with the defaults, resolved now when the store answers synchronously. */
  [checkNow](key: string): RateLimitResult | Promise<RateLimitResult> {
    this.#assertUsable(key);
    return this.#decideNow(key, this.#defaults, 1);
  }

  #decideNow(key: string, set: PolicySet, cost: number): RateLimitResult | Promise<RateLimitResult> {
    if (this.#into && set.policies.length === 1 && cost <= set.capacity && this.#noLists) {
      this.#stats.checks++;
      return this.#decideInto(key, set, cost);
    }
    return this.#decideOther(key, set, cost);
  }

  /** One policy on the in-process store, in this tick: no promise and no timer per check. */
  #decideInto(key: string, set: PolicySet, cost: number): RateLimitResult | Promise<RateLimitResult> {
    const policy = set.policies[0] as RateLimitPolicy;
    let slot: DecisionSlot;
    try {
      slot = this.#consumeInto(key, policy, cost, this.#slot);
    } catch (error) {
      return this.#syncStoreFailed(key, set, cost, error);
    }
    if (this.#failures > 0) this.#recovered();
    return this.#count(this.#finishOne(key, policy, slot));
  }

  #syncStoreFailed(key: string, set: PolicySet, cost: number, error: unknown): Promise<RateLimitResult> {
    return this.#fallback(key, set, cost, storeError(this.store, "consume", error)).then((r) =>
      this.#count(r),
    );
  }

  #decideOther(key: string, set: PolicySet, cost: number): RateLimitResult | Promise<RateLimitResult> {
    this.#stats.checks++;
    const { denies, allows } = this.#options;
    if (denies?.(key)) return this.#count(withoutStore(set.policies, "denied", false, this.clock.now()));
    if (allows?.(key)) return this.#count(withoutStore(set.policies, "allow-listed", true, this.clock.now()));
    if (cost > set.capacity) {
      // Never admissible, whatever the store says: report the current state (a peek, which may come
      // from the failure path) and refuse without spending or blocking.
      return this.#consult(key, set, 0).then((peek) =>
        this.#count(overCapacity(set.policies, peek.policies, cost)),
      );
    }
    if (!this.#sync) return this.#consult(key, set, cost).then((result) => this.#count(result));
    if (this.#into && set.policies.length === 1) return this.#decideInto(key, set, cost);
    try {
      const decisions = this.#consumeSync({ key, policies: set.policies, cost });
      if (decisions.length !== set.policies.length) throw this.#replyError(decisions);
      if (this.#failures > 0) this.#recovered();
      return this.#count(this.#finish(key, set.policies, decisions));
    } catch (error) {
      return this.#syncStoreFailed(key, set, cost, error);
    }
  }

  /** Asks the store (or, while it fails, the fallback) for a decision; counts nothing. */
  #consult(key: string, set: PolicySet, cost: number): Promise<RateLimitResult> {
    if (!this.#sync) return this.#consultAsync(key, set, cost);
    try {
      const decisions = this.#consumeSync({ key, policies: set.policies, cost });
      if (decisions.length !== set.policies.length) throw this.#replyError(decisions);
      if (this.#failures > 0) this.#recovered();
      return Promise.resolve(this.#finish(key, set.policies, decisions));
    } catch (error) {
      return this.#fallback(key, set, cost, storeError(this.store, "consume", error));
    }
  }

  async #consultAsync(key: string, set: PolicySet, cost: number): Promise<RateLimitResult> {
    // While the store is failing, one call at a time tries it; the others are decided without it.
    if (this.#failures > 0 && this.#probing) return this.#fallback(key, set, cost, undefined);
    const probe = this.#failures > 0;
    if (probe) this.#probing = true;
    try {
      const request = { key, policies: set.policies, cost };
      const decisions = await callStore(this.#deadlines, this.store, "consume", () =>
        this.store.consume(request),
      );
      if (!Array.isArray(decisions) || decisions.length !== set.policies.length)
        throw this.#replyError(decisions);
      if (this.#failures > 0) this.#recovered();
      return this.#finish(key, set.policies, decisions);
    } catch (error) {
      return this.#fallback(key, set, cost, storeError(this.store, "consume", error));
    } finally {
      if (probe) this.#probing = false;
    }
  }

  /** Decides without the main store: from the insurance store when there is one, else by onStoreError. */
  async #fallback(
    key: string,
    set: PolicySet,
    cost: number,
    error: RateLimiterError | undefined,
  ): Promise<RateLimitResult> {
    const { insurance, onStoreError } = this.#options;
    if (error !== undefined)
      this.#storeFailed(
        this.store,
        "consume",
        key,
        error,
        insurance === undefined ? onStoreError : "insurance",
      );
    this.#stats.fallbacks++;
    if (insurance !== undefined) {
      try {
        const request = { key, policies: set.policies, cost };
        const decisions = await callStore(this.#deadlines, insurance, "consume", () =>
          insurance.consume(request),
        );
        if (decisions.length !== set.policies.length) throw this.#replyError(decisions);
        return this.#finish(key, set.policies, decisions);
      } catch (insuranceError) {
        this.#storeFailed(
          insurance,
          "consume",
          key,
          storeError(insurance, "consume", insuranceError),
          onStoreError,
        );
      }
    }
    return withoutStore(set.policies, "store-error", onStoreError === "allow", this.clock.now());
  }

  #storeFailed(
    store: RateLimitStore,
    operation: "consume" | "refund" | "reset" | "cleanup",
    key: string | undefined,
    error: RateLimiterError,
    fallback: "allow" | "deny" | "insurance" | "throw",
  ): void {
    this.#stats.storeErrors++;
    if (error.code === "ERR_KEEL_RATE_LIMIT_STORE_TIMEOUT") this.#stats.storeTimeouts++;
    if (store === this.store) this.#failures++;
    const event = { error, store: store.name, operation, fallback };
    this.#events.emit("store-error", key === undefined ? event : { ...event, key });
    this.#events.emit("error", error);
  }

  /** Runs a non-deciding store call with the timeout; a failure is emitted, counted and thrown. */
  async #run<T>(
    store: RateLimitStore,
    operation: "refund" | "reset" | "cleanup",
    key: string | undefined,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await callStore(this.#deadlines, store, operation, call);
    } catch (error) {
      const wrapped = storeError(store, operation, error);
      this.#storeFailed(store, operation, key, wrapped, "throw");
      throw wrapped;
    }
  }

  #recovered(): void {
    this.#events.emit("store-recovered", { failures: this.#failures });
    this.#failures = 0;
  }

  #replyError(decisions: unknown): RateLimiterError {
    return new RateLimiterError(
      "ERR_KEEL_RATE_LIMIT_STORE_REPLY",
      `the ${this.store.name} store answered ${describeValue(decisions)} instead of one decision per policy`,
    );
  }

  #finish(
    key: string,
    policies: readonly RateLimitPolicy[],
    decisions: readonly PolicyDecision[],
  ): RateLimitResult {
    const result = fromDecisions(policies, decisions);
    if (!result.allowed && this.#events.has("blocked")) {
      decisions.forEach((decision, i) => {
        const policy = policies[i] as RateLimitPolicy;
        // A block starts with a refusal whose wait is exactly the block (later ones wait less).
        if (decision.blockedUntil !== undefined && decision.retryAfterMs === policy.blockMs) {
          this.#events.emit("blocked", { key, policy: policy.name, blockedUntil: decision.blockedUntil });
        }
      });
    }
    return result;
  }

  /** {@link #finish} for one policy, without the arrays. */
  #finishOne(key: string, policy: RateLimitPolicy, decision: DecisionSlot): RateLimitResult {
    const result = fromDecision(policy, decision);
    if (!result.allowed) this.#refusedOne(key, policy, decision);
    return result;
  }

  #refusedOne(key: string, policy: RateLimitPolicy, decision: DecisionSlot): void {
    const { blockedUntil } = decision;
    // A block starts with a refusal whose wait is exactly the block (later ones wait less).
    if (blockedUntil !== undefined && decision.retryAfterMs === policy.blockMs) {
      this.#events.emit("blocked", { key, policy: policy.name, blockedUntil });
    }
  }

  #count(result: RateLimitResult): RateLimitResult {
    if (result.allowed) this.#stats.allowed++;
    else this.#stats.refused++;
    return result;
  }
}

/**
 * Creates a rate limiter. Options are validated now (a bad one throws a {@link RateLimiterError} with
 * code `ERR_KEEL_RATE_LIMIT_OPTION` or `ERR_KEEL_RATE_LIMIT_POLICY` naming it), not on the first check.
 * `window` and `blockDuration` are in seconds.
 *
 * @example
 * ```ts
 * import { createRateLimiter } from "@keel/rate-limiter";
 *
 * // the original: 100 requests per minute per user, fixed window, in memory
 * const limiter = createRateLimiter({ limit: 100, window: 60 });
 * const result = await limiter.check(`user:${userId}`);
 * if (!result.allowed) reply.status(429).header("Retry-After", String(result.retryAfter));
 * ```
 * @example
 * ```ts
 * // 10 per second and 1,000 per day, decided together; blocked for 5 minutes when exceeded
 * const limiter = createRateLimiter({
 *   algorithm: "gcra",
 *   policies: [
 *     { name: "second", limit: 10, window: 1 },
 *     { name: "day", limit: 1_000, window: 86_400, algorithm: "fixed-window", blockDuration: 300 },
 *   ],
 * });
 * ```
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  return new Limiter(resolveOptions(options));
}
