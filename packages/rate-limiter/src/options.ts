import { algorithmNames } from "./algorithms/registry.js";
import type { Clock } from "./clock.js";
import { describeValue, RateLimiterError } from "./errors.js";
import type { RateLimitAlgorithm, RateLimitPolicy, RateLimitStore } from "./types.js";

/**
 * One limit in a limiter with several (`policies`), in the limiter's units: seconds, not milliseconds.
 *
 * @example
 * ```ts
 * const perSecond: PolicyOptions = { name: "burst", limit: 10, window: 1 };
 * const perDay: PolicyOptions = { name: "daily", limit: 1_000, window: 86_400, algorithm: "sliding-window" };
 * ```
 */
export interface PolicyOptions {
  /**
   * A name unique within the limiter: printable ASCII without `"` or `\`, at most 64 characters. It
   * names this policy's state in the store and in the `RateLimit-Policy` header, and is reported when
   * it refuses.
   * @default `${limit}/${window}s`, e.g. "10/1s"
   */
  readonly name?: string;
  /** Units admitted per window: a positive integer. */
  readonly limit: number;
  /** Window length in seconds; fractions allowed down to one millisecond. */
  readonly window: number;
  /** @default the limiter's `algorithm` */
  readonly algorithm?: RateLimitAlgorithm;
  /** Burst capacity in units, for `token-bucket` and `gcra` only. @default limit */
  readonly burst?: number;
  /** Seconds a key stays refused after this policy refuses it. 0 means no block. @default 0 */
  readonly blockDuration?: number;
}

/**
 * A list of keys, or a predicate over keys (`(key) => boolean`).
 *
 * @example
 * ```ts
 * const allowList: KeyList = ["user:admin", "ip:10.0.0.1"];
 * const denyList: KeyList = (key) => key.startsWith("ip:203.0.113.");
 * ```
 */
export type KeyList = readonly string[] | ((key: string) => boolean);

/**
 * Options of {@link createRateLimiter}. Give `limit` and `window` (the original's single policy,
 * named `"default"`), or `policies`, or both (the single policy then comes first).
 *
 * @example
 * ```ts
 * const options: RateLimiterOptions = { limit: 100, window: 60, algorithm: "sliding-window" };
 * ```
 */
export interface RateLimiterOptions {
  /** Where state lives. The limiter closes a store it created, never one given here. @default memoryStore() */
  readonly store?: RateLimitStore;
  /** @default "fixed-window" (the original's) */
  readonly algorithm?: RateLimitAlgorithm;
  /** Units admitted per window by the `"default"` policy: a positive integer. */
  readonly limit?: number;
  /** Window of the `"default"` policy, in seconds (fractions allowed down to one millisecond). */
  readonly window?: number;
  /** Burst capacity of the `"default"` policy, for `token-bucket` and `gcra`. @default limit */
  readonly burst?: number;
  /** Seconds a key stays refused once a policy refuses it; the default for every policy. @default 0 (no block) */
  readonly blockDuration?: number;
  /** Further policies, all decided together with the default one (admitted only if every one admits). */
  readonly policies?: readonly PolicyOptions[];
  /** Keys that are always admitted, without a store call. */
  readonly allowList?: KeyList;
  /** Keys that are always refused (reason `"denied"`), without a store call. Checked before `allowList`. */
  readonly denyList?: KeyList;
  /**
   * What a check answers when the store fails or times out and there is no `insurance`: `"allow"`
   * admits (fail open), `"deny"` refuses (fail closed). Either way the error is emitted and counted.
   * @default "allow"
   */
  readonly onStoreError?: "allow" | "deny";
  /**
   * A second store (usually `memoryStore()`) that decides while the main one is failing: per process,
   * so limits are approximate, but they hold. The main store is retried one call at a time and takes
   * over again as soon as it answers.
   */
  readonly insurance?: RateLimitStore;
  /** Milliseconds a store call may take before it counts as failed. `Infinity` disables. @default 100 */
  readonly storeTimeout?: number;
  /** Where time comes from (epoch ms), for the default memory store and events. @default systemClock */
  readonly clock?: Clock;
}

const OPTION_NAMES = new Set([
  "store",
  "algorithm",
  "limit",
  "window",
  "burst",
  "blockDuration",
  "policies",
  "allowList",
  "denyList",
  "onStoreError",
  "insurance",
  "storeTimeout",
  "clock",
]);

/** Integers up to 2^52 stay exact through the algorithms' scaled arithmetic (also in Lua's doubles). */
const MAX_SCALED = 2 ** 52;

function fail(
  message: string,
  code: "ERR_KEEL_RATE_LIMIT_OPTION" | "ERR_KEEL_RATE_LIMIT_POLICY" = "ERR_KEEL_RATE_LIMIT_OPTION",
): never {
  throw new RateLimiterError(code, message);
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    fail(`${what} must be a positive integer, got ${describeValue(value)}`);
  }
  return value;
}

/** Seconds to whole milliseconds; `min` 1 for windows, 0 for block durations. */
function milliseconds(value: unknown, what: string, min: 0 | 1): number {
  const ms = typeof value === "number" && Number.isFinite(value) ? Math.round(value * 1000) : Number.NaN;
  if (!(ms >= min)) {
    fail(
      `${what} must be ${min === 1 ? "a positive number of seconds (at least 0.001)" : "a number of seconds >= 0"}, got ${describeValue(value)}`,
    );
  }
  return ms;
}

function algorithmOf(value: unknown, what: string): RateLimitAlgorithm {
  if (!algorithmNames.includes(value as RateLimitAlgorithm)) {
    fail(
      `${what} must be one of ${algorithmNames.map((a) => `"${a}"`).join(", ")}, got ${describeValue(value)}`,
    );
  }
  return value as RateLimitAlgorithm;
}

/** Builds one validated policy in store units (ms) from seconds. */
export function buildPolicy(
  input: PolicyOptions,
  fallbackAlgorithm: RateLimitAlgorithm,
  where: string,
): RateLimitPolicy {
  const limit = positiveInteger(input.limit, `${where}.limit`);
  const windowMs = milliseconds(input.window, `${where}.window`, 1);
  const algorithm =
    input.algorithm === undefined ? fallbackAlgorithm : algorithmOf(input.algorithm, `${where}.algorithm`);
  const name = input.name ?? `${limit}/${input.window}s`;
  if (typeof name !== "string" || !/^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/.test(name)) {
    fail(
      `${where}.name must be 1 to 64 printable ASCII characters without '"' or '\\', got ${describeValue(name)}`,
      "ERR_KEEL_RATE_LIMIT_POLICY",
    );
  }
  let burst: number | undefined;
  if (input.burst !== undefined) {
    if (algorithm !== "token-bucket" && algorithm !== "gcra") {
      fail(
        `${where}.burst applies to "token-bucket" and "gcra" only; "${algorithm}" admits limit units per window`,
        "ERR_KEEL_RATE_LIMIT_POLICY",
      );
    }
    burst = positiveInteger(input.burst, `${where}.burst`);
  }
  if (Math.max(limit, burst ?? 0) * windowMs > MAX_SCALED) {
    fail(
      `${where}: limit (or burst) × window in ms must stay under 2^52 for exact arithmetic; use a shorter window or a smaller limit`,
      "ERR_KEEL_RATE_LIMIT_POLICY",
    );
  }
  const blockMs =
    input.blockDuration === undefined ? 0 : milliseconds(input.blockDuration, `${where}.blockDuration`, 0);
  return {
    name,
    algorithm,
    limit,
    windowMs,
    ...(burst === undefined ? {} : { burst }),
    ...(blockMs > 0 ? { blockMs } : {}),
  };
}

/** Validates a store-like value: every method of the interface must be there. */
export function checkStore(value: unknown, what: string): RateLimitStore {
  const store = value as Partial<RateLimitStore> | null;
  const methods = ["consume", "refund", "reset", "cleanup", "close"] as const;
  if (
    typeof store !== "object" ||
    store === null ||
    methods.some((m) => typeof store[m] !== "function") ||
    typeof store.capabilities !== "object"
  ) {
    fail(
      `${what} must implement RateLimitStore (name, capabilities, consume, refund, reset, cleanup, close), got ${describeValue(value)}`,
    );
  }
  return store as RateLimitStore;
}

function keyList(value: unknown, what: string): ((key: string) => boolean) | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "function") return value as (key: string) => boolean;
  if (Array.isArray(value) && value.every((k) => typeof k === "string")) {
    const set = new Set<string>(value);
    return (key) => set.has(key);
  }
  return fail(`${what} must be an array of keys or a function (key) => boolean, got ${describeValue(value)}`);
}

/** The validated, defaulted form of {@link RateLimiterOptions} the limiter runs on. */
export interface ResolvedOptions {
  readonly store: RateLimitStore | undefined;
  readonly algorithm: RateLimitAlgorithm;
  readonly policies: readonly RateLimitPolicy[];
  readonly blockMs: number;
  readonly allows: ((key: string) => boolean) | undefined;
  readonly denies: ((key: string) => boolean) | undefined;
  readonly onStoreError: "allow" | "deny";
  readonly insurance: RateLimitStore | undefined;
  readonly storeTimeout: number;
  readonly clock: Clock | undefined;
}

/** Validates every option eagerly; throws a {@link RateLimiterError} naming the first bad one. */
export function resolveOptions(options: RateLimiterOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null)
    fail(`options must be an object, got ${describeValue(options)}`);
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name))
      fail(`unknown option ${describeValue(name)}; known options: ${[...OPTION_NAMES].join(", ")}`);
  }
  const algorithm =
    options.algorithm === undefined ? "fixed-window" : algorithmOf(options.algorithm, "algorithm");
  const policies: RateLimitPolicy[] = [];
  if (options.limit !== undefined || options.window !== undefined) {
    const { limit, window, burst, blockDuration } = options as Required<RateLimiterOptions>;
    policies.push(
      buildPolicy({ name: "default", limit, window, burst, blockDuration }, algorithm, "options"),
    );
  } else if (options.burst !== undefined) {
    fail("burst belongs to the default policy: give limit and window with it, or set burst per policy");
  }
  if (options.policies !== undefined) {
    if (!Array.isArray(options.policies))
      fail(`policies must be an array, got ${describeValue(options.policies)}`);
    options.policies.forEach((p, i) => {
      policies.push(buildPolicy({ blockDuration: options.blockDuration, ...p }, algorithm, `policies[${i}]`));
    });
  }
  if (policies.length === 0) fail("give limit and window (e.g. { limit: 100, window: 60 }), or policies");
  const names = new Set<string>();
  for (const p of policies) {
    if (names.has(p.name))
      fail(
        `two policies are named ${describeValue(p.name)}; names must be unique`,
        "ERR_KEEL_RATE_LIMIT_POLICY",
      );
    names.add(p.name);
  }
  const onStoreError = options.onStoreError ?? "allow";
  if (onStoreError !== "allow" && onStoreError !== "deny")
    fail(`onStoreError must be "allow" or "deny", got ${describeValue(onStoreError)}`);
  const storeTimeout = options.storeTimeout ?? 100;
  if (typeof storeTimeout !== "number" || !(storeTimeout > 0)) {
    fail(
      `storeTimeout must be a positive number of milliseconds (or Infinity), got ${describeValue(storeTimeout)}`,
    );
  }
  if (options.clock !== undefined && typeof options.clock?.now !== "function")
    fail("clock must have a now() method returning epoch milliseconds");
  return {
    store: options.store === undefined ? undefined : checkStore(options.store, "store"),
    algorithm,
    policies,
    blockMs:
      options.blockDuration === undefined ? 0 : milliseconds(options.blockDuration, "blockDuration", 0),
    allows: keyList(options.allowList, "allowList"),
    denies: keyList(options.denyList, "denyList"),
    onStoreError,
    insurance: options.insurance === undefined ? undefined : checkStore(options.insurance, "insurance"),
    storeTimeout,
    clock: options.clock,
  };
}
