import type { Clock } from "../../clock.js";
import type { PolicyDecision, RateLimitPolicy } from "../../types.js";

interface BlockedEntry {
  /** Local clock time at which the earliest-ending block of this key ends. */
  readonly untilLocal: number;
  /** Redis time minus local time, measured when the request that saw the block was sent. */
  readonly offset: number;
  /** The decisions of that request, by policy name. */
  readonly decisions: ReadonlyMap<string, PolicyDecision>;
}

/**
 * Remembers keys Redis reported blocked (`blockMs`), so a blocked client is refused without a round
 * trip until its block ends. Bounded: at most `max` keys, the oldest dropped first; entries expire lazily.
 *
 * Times: Redis decides on its own clock, so each entry keeps the offset between Redis time and the
 * local clock, measured against the time the request was SENT. That offset is never smaller than the
 * true one, so the cache lets a key go slightly early (and Redis, still blocking, refuses it once more)
 * rather than refuse a key whose block already ended.
 */
export class BlockedKeyCache {
  readonly #entries = new Map<string, BlockedEntry>();

  constructor(
    private readonly max: number,
    private readonly clock: Clock,
  ) {}

  /** The local time, for measuring the offset of a request about to be sent. */
  now(): number {
    return this.clock.now();
  }

  /**
   * Records a reply. `redisNow` is the script's `TIME`; `sentAt` the local time before sending.
   * A reply with no active block forgets the key.
   */
  remember(
    key: string,
    policies: readonly RateLimitPolicy[],
    decisions: readonly PolicyDecision[],
    redisNow: number,
    sentAt: number,
  ): void {
    if (this.max === 0) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const decision of decisions) {
      if (decision.blockedUntil !== undefined && decision.blockedUntil > redisNow) {
        earliest = Math.min(earliest, decision.blockedUntil);
      }
    }
    // Most checks block nothing: then there is nothing to remember, and nothing is built.
    if (this.#entries.size > 0) this.#entries.delete(key);
    if (earliest === Number.POSITIVE_INFINITY) return;
    const byName = new Map<string, PolicyDecision>();
    for (const [i, policy] of policies.entries()) byName.set(policy.name, decisions[i] as PolicyDecision);
    const offset = redisNow - sentAt;
    if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(key, { untilLocal: earliest - offset, offset, decisions: byName });
  }

  /**
   * The decisions for a request on a key still blocked, or undefined when Redis must be asked: the key
   * is unknown, its block has ended, none of the requested policies is blocked, or the request names a
   * policy the cached reply did not decide.
   * Blocked policies answer with the time left; the others repeat their last known decision.
   */
  lookup(key: string, policies: readonly RateLimitPolicy[]): PolicyDecision[] | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const local = this.clock.now();
    if (local >= entry.untilLocal) {
      this.#entries.delete(key);
      return undefined;
    }
    const redisNow = local + entry.offset;
    const answer: PolicyDecision[] = [];
    let blocked = false;
    for (const policy of policies) {
      const last = entry.decisions.get(policy.name);
      if (last === undefined) return undefined;
      const until = last.blockedUntil;
      if (until !== undefined && until > redisNow) {
        blocked = true;
        answer.push({
          allowed: false,
          remaining: 0,
          resetAt: until,
          retryAfterMs: until - redisNow,
          blockedUntil: until,
        });
      } else {
        answer.push(last);
      }
    }
    return blocked ? answer : undefined;
  }

  /** Forgets `key` (after a reset). */
  forget(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops entries whose block has ended; returns how many. */
  prune(): number {
    const local = this.clock.now();
    let dropped = 0;
    for (const [key, entry] of this.#entries) {
      if (local >= entry.untilLocal) {
        this.#entries.delete(key);
        dropped += 1;
      }
    }
    return dropped;
  }

  /** Forgets everything. */
  clear(): void {
    this.#entries.clear();
  }

  /** How many keys are remembered. */
  get size(): number {
    return this.#entries.size;
  }
}
