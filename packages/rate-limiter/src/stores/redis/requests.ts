import { describeValue, RateLimiterError } from "../../errors.js";
import type { RateLimitAlgorithm, RateLimitPolicy } from "../../types.js";
import { decisionKeys, stateKey } from "./keys.js";

const ALGORITHMS: ReadonlySet<RateLimitAlgorithm> = new Set([
  "fixed-window",
  "sliding-window",
  "token-bucket",
  "gcra",
]);

/** The KEYS and ARGV of one script call. */
export interface ScriptCall {
  readonly keys: readonly string[];
  readonly args: readonly string[];
}

function policyArgs(policy: RateLimitPolicy): string[] {
  if (!ALGORITHMS.has(policy.algorithm)) {
    throw new RateLimiterError(
      "ERR_KEEL_RATE_LIMIT_POLICY",
      `redisStore: policy ${describeValue(policy.name)} has unknown algorithm ${describeValue(policy.algorithm)}; use "fixed-window", "sliding-window", "token-bucket" or "gcra"`,
    );
  }
  return [
    policy.algorithm,
    String(policy.limit),
    String(policy.windowMs),
    String(policy.burst ?? policy.limit),
  ];
}

/** The consume ARGV of a policy list, built once per list and cost: the same on every check. */
const CONSUME_ARGS = new WeakMap<readonly RateLimitPolicy[], { cost: number; args: string[] }>();

function consumeArgs(policies: readonly RateLimitPolicy[], cost: number): string[] {
  const cached = CONSUME_ARGS.get(policies);
  if (cached !== undefined && cached.cost === cost) return cached.args;
  const args = [String(cost)];
  for (const policy of policies) args.push([...policyArgs(policy), String(policy.blockMs ?? 0)].join(" "));
  CONSUME_ARGS.set(policies, { cost, args });
  return args;
}

/**
 * KEYS and ARGV of the consume script (see `lua/consume.ts` for the layout). `args` may be shared
 * between calls: do not change it.
 */
export function consumeCall(
  prefix: string,
  key: string,
  policies: readonly RateLimitPolicy[],
  cost: number,
): ScriptCall {
  return { keys: decisionKeys(prefix, key, policies), args: consumeArgs(policies, cost) };
}

/** KEYS and ARGV of the refund script (see `lua/refund.ts` for the layout). */
export function refundCall(
  prefix: string,
  key: string,
  policies: readonly RateLimitPolicy[],
  units: number,
): ScriptCall {
  const args = [String(units)];
  for (const policy of policies) args.push(...policyArgs(policy));
  return { keys: policies.map((policy) => stateKey(prefix, key, policy)), args };
}
