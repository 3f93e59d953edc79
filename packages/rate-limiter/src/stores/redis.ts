import { type Clock, systemClock } from "../clock.js";
import { describeValue, RateLimiterError } from "../errors.js";
import type { ConsumeRequest, PolicyDecision, RateLimitStore } from "../types.js";
import { BlockedKeyCache } from "./redis/blocked-cache.js";
import type { RedisClientLike, RedisSendCommand } from "./redis/command.js";
import { toCommandSender } from "./redis/command.js";
import { decisionKeys } from "./redis/keys.js";
import { consumeScript } from "./redis/lua/consume.js";
import { refundScript } from "./redis/lua/refund.js";
import { decodeConsumeReply } from "./redis/reply.js";
import { consumeCall, refundCall } from "./redis/requests.js";
import { runScript } from "./redis/script.js";

export type {
  IoRedisLikeClient,
  NodeRedisLikeClient,
  NodeRedisLikeCluster,
  RedisClientLike,
  RedisSendCommand,
} from "./redis/command.js";

/**
 * Options of {@link redisStore}. Give exactly one of `client` and `sendCommand`.
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { client: new Redis(), prefix: "api:rl:" };
 * ```
 */
export interface RedisStoreOptions {
  /**
   * A connected client you created and own: ioredis `Redis` or `Cluster`, node-redis `createClient()` or
   * `createCluster()`. Told apart by shape: a `call` method means ioredis; `sendCommand` plus a
   * `masters` list means a node-redis cluster; `sendCommand` alone a node-redis client. The store never
   * connects, reconnects or closes it. Do not set the client's own `keyPrefix`; use `prefix`.
   */
  readonly client?: RedisClientLike;
  /** Sends one command, for any other client (see {@link RedisSendCommand}). */
  readonly sendCommand?: RedisSendCommand;
  /**
   * Prepended to every Redis key (`<prefix>{<key>}:<policy>`). Must not contain `{` or `}`, which would
   * break the hash tag that keeps one key's policies in one Cluster slot.
   * @default "keel:rl:"
   */
  readonly prefix?: string;
  /**
   * How many blocked keys (policies with `blockMs`) this process remembers, to refuse them without a
   * round trip until their block ends. 0 disables the cache. Another process's `reset` of a key is not
   * seen here until the block this process knows of ends.
   * @default 10000
   */
  readonly blockedKeyCacheSize?: number;
  /**
   * The local clock the blocked-key cache counts with (epoch ms). Decisions always use Redis's `TIME`.
   * @default systemClock (Date.now, read at most once per millisecond: see systemClock)
   */
  readonly clock?: Clock;
}

function invalid(message: string): RateLimiterError {
  return new RateLimiterError("ERR_KEEL_RATE_LIMIT_OPTION", `redisStore: ${message}`);
}

/**
 * A {@link RateLimitStore} on Redis: every decision (all algorithms, several policies at once) is one
 * Lua script, run with one `EVALSHA`, so each check is exactly one round trip and atomic across any
 * number of app instances. Time is Redis's own `TIME`; all keys of one decision share a hash tag
 * (`<prefix>{<key>}:<policy>`, braces in keys escaped), so Redis Cluster works; every key expires by
 * itself (`cleanup()` has nothing to do). Scripts are reloaded only after a `NOSCRIPT` reply; no other
 * error is ever retried, because a script that may have run must not count twice.
 *
 * Client settings: make the client fail fast, so the limiter's `storeTimeout` and `onStoreError` (or
 * `insurance`) decide instead of a queue. ioredis: `{ maxRetriesPerRequest: 0, enableOfflineQueue: false,
 * autoResendUnfulfilledCommands: false }` (the last stops ioredis from re-sending, after a reconnect, a
 * script that may already have counted). node-redis: `{ disableOfflineQueue: true }`, and attach an
 * `error` listener (node-redis emits connection errors as events and an unhandled `error` event
 * ends the process). A check that timed out may still be counted: when a paused or slow Redis runs
 * the script late, it spends the unit although the limiter already answered by `onStoreError`.
 *
 * Cluster: pass the cluster client itself. Every key of one decision is `<prefix>{<key>}:...`, so one
 * client key lives in one slot and its decisions stay atomic; different keys spread over the cluster.
 *
 * @example
 * ```ts
 * import { Redis } from "ioredis";
 * const client = new Redis({ maxRetriesPerRequest: 0, enableOfflineQueue: false, autoResendUnfulfilledCommands: false });
 * const limiter = createRateLimiter({ store: redisStore({ client }), limit: 100, window: 60 });
 * ```
 * @example
 * ```ts
 * import { createClient } from "redis";
 * const client = createClient({ url: "redis://127.0.0.1:6379", disableOfflineQueue: true });
 * client.on("error", (error) => log.warn(error));
 * await client.connect();
 * const store = redisStore({ client, prefix: "api:rl:" });
 * ```
 * @example
 * ```ts
 * import { Cluster } from "ioredis";
 * const cluster = new Cluster([{ host: "10.0.0.1", port: 6379 }], {
 *   redisOptions: { maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false },
 * });
 * const store = redisStore({ client: cluster });
 * ```
 */
export function redisStore(options: RedisStoreOptions): RateLimitStore {
  const {
    client,
    sendCommand,
    prefix = "keel:rl:",
    blockedKeyCacheSize = 10_000,
    clock = systemClock,
  } = options;
  if ((client === undefined) === (sendCommand === undefined)) {
    throw invalid("give exactly one of `client` (ioredis or node-redis) and `sendCommand`");
  }
  let send: (args: string[], firstKey?: string) => Promise<unknown>;
  if (sendCommand !== undefined) {
    if (typeof sendCommand !== "function")
      throw invalid("`sendCommand` must be a function (args) => Promise");
    send = (args) => sendCommand(args);
  } else {
    const sender = toCommandSender(client);
    if (sender === undefined) {
      throw invalid(
        "`client` is not an ioredis client (no `call`) nor a node-redis client (no `sendCommand`)",
      );
    }
    send = sender.send;
  }
  if (typeof prefix !== "string" || /[{}]/.test(prefix)) {
    throw invalid(`\`prefix\` must be a string without "{" or "}", got ${describeValue(prefix)}`);
  }
  if (typeof clock?.now !== "function") {
    throw invalid("`clock` must have a now() method returning epoch milliseconds");
  }
  if (!Number.isInteger(blockedKeyCacheSize) || blockedKeyCacheSize < 0) {
    throw invalid(
      `\`blockedKeyCacheSize\` must be a whole number >= 0, got ${describeValue(blockedKeyCacheSize)}`,
    );
  }
  const blocked = new BlockedKeyCache(blockedKeyCacheSize, clock);
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) {
      throw new RateLimiterError(
        "ERR_KEEL_RATE_LIMIT_CLOSED",
        "redisStore: used after close(); create a new store",
      );
    }
  };

  return {
    name: "redis",
    capabilities: { shared: true, serverClock: true },

    // Not async: a check is one chain of promises (the send, then the decode), no generator frames.
    consume({ key, policies, cost }: ConsumeRequest): Promise<PolicyDecision[]> {
      try {
        ensureOpen();
      } catch (error) {
        return Promise.reject(error);
      }
      if (policies.length === 0) return Promise.resolve([]);
      const cached = blocked.lookup(key, policies);
      if (cached !== undefined) return Promise.resolve(cached);
      const { keys, args } = consumeCall(prefix, key, policies, cost);
      const sentAt = blocked.now();
      return runScript(send, consumeScript, keys, args).then((reply) => {
        const decoded = decodeConsumeReply(reply, policies.length);
        if (decoded === undefined) {
          throw new RateLimiterError(
            "ERR_KEEL_RATE_LIMIT_STORE_REPLY",
            `redisStore: the consume script answered ${describeValue(reply)} instead of ${1 + 5 * policies.length} integers in one string; is a proxy or the client's reply transformation altering EVALSHA replies?`,
          );
        }
        blocked.remember(key, policies, decoded.decisions, decoded.now, sentAt);
        return decoded.decisions;
      });
    },

    async refund(key, policies, units): Promise<void> {
      ensureOpen();
      if (policies.length === 0 || units <= 0) return;
      const { keys, args } = refundCall(prefix, key, policies, units);
      await runScript(send, refundScript, keys, args);
    },

    async reset(key, policies): Promise<void> {
      ensureOpen();
      blocked.forget(key);
      if (policies.length === 0) return;
      const keys = decisionKeys(prefix, key, policies);
      await send(["DEL", ...keys], keys[0]);
    },

    async cleanup(): Promise<number> {
      blocked.prune();
      return 0;
    },

    async close(): Promise<void> {
      closed = true;
      blocked.clear();
    },
  };
}
