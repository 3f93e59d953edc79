import type { PolicyDecision } from "../../types.js";

/** Values per policy in a consume reply: allowed, remaining, resetAt, retryAfterMs, blockedUntil. */
const PER_POLICY = 5;

/** A consume script's reply, decoded. */
export interface ConsumeReply {
  /** Redis's `TIME` when the script ran, epoch milliseconds. */
  readonly now: number;
  /** One decision per policy, in request order. */
  readonly decisions: PolicyDecision[];
}

/**
 * Decodes a consume reply (`[now, allowed, remaining, resetAt, retryAfterMs, blockedUntil, ...]`).
 * Clients differ in how they hand integers back (numbers from ioredis and node-redis, strings from
 * some custom `sendCommand`s), so every value goes through `Number`. Returns undefined when the reply
 * has the wrong shape, which means the client or a proxy changed it.
 */
export function decodeConsumeReply(reply: unknown, policies: number): ConsumeReply | undefined {
  if (!Array.isArray(reply) || reply.length !== 1 + policies * PER_POLICY) return undefined;
  const values = reply.map(Number);
  if (values.some((value) => !Number.isFinite(value))) return undefined;
  const decisions: PolicyDecision[] = [];
  for (let i = 0; i < policies; i += 1) {
    const [allowed, remaining, resetAt, retryAfterMs, blockedUntil] = values.slice(
      1 + i * PER_POLICY,
      1 + (i + 1) * PER_POLICY,
    ) as [number, number, number, number, number];
    const decision: PolicyDecision = { allowed: allowed === 1, remaining, resetAt, retryAfterMs };
    decisions.push(blockedUntil > 0 ? { ...decision, blockedUntil } : decision);
  }
  return { now: values[0] as number, decisions };
}
