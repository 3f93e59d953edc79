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
 * Decodes a consume reply: one string of space-separated integers (`now`, then per policy allowed,
 * remaining, resetAt, retryAfterMs, blockedUntil). A client may hand the bulk string back as a Buffer.
 * Returns undefined when the reply has the wrong shape, which means the client or a proxy changed it.
 */
export function decodeConsumeReply(reply: unknown, policies: number): ConsumeReply | undefined {
  const text =
    typeof reply === "string"
      ? reply
      : reply instanceof Uint8Array
        ? Buffer.from(reply).toString()
        : undefined;
  if (text === undefined) return undefined;
  const values = parseIntegers(text, 1 + policies * PER_POLICY);
  if (values === undefined) return undefined;
  const decisions: PolicyDecision[] = [];
  for (let i = 0; i < policies; i += 1) {
    const at = 1 + i * PER_POLICY;
    const decision: PolicyDecision = {
      allowed: values[at] === 1,
      remaining: small(values[at + 1] as number),
      resetAt: values[at + 2] as number,
      retryAfterMs: small(values[at + 3] as number),
    };
    const blockedUntil = values[at + 4] as number;
    decisions.push(blockedUntil > 0 ? { ...decision, blockedUntil } : decision);
  }
  return { now: values[0] as number, decisions };
}

/**
 * `n` as a small integer when it is one. The parsed values sit in a double array, so they come out
 * boxed even when they are 0; a boxed number stored into a result's field makes V8 widen that field
 * for every result made at the same place, memory-store results included (16 bytes each, per check).
 */
function small(n: number): number {
  const int = n | 0;
  return int === n ? int : n;
}

const SPACE = 32;
const MINUS = 45;
const ZERO = 48;

/** Exactly `count` decimal integers separated by single spaces, or undefined. No split, no substrings. */
function parseIntegers(text: string, count: number): number[] | undefined {
  const values: number[] = [];
  let i = 0;
  while (i <= text.length) {
    const negative = text.charCodeAt(i) === MINUS;
    if (negative) i++;
    const start = i;
    let value = 0;
    for (; i < text.length; i++) {
      const digit = text.charCodeAt(i) - ZERO;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (i === start || (i < text.length && text.charCodeAt(i) !== SPACE)) return undefined;
    if (values.length === count) return undefined;
    values.push(negative ? -value : value);
    i++;
  }
  return values.length === count ? values : undefined;
}
