import type { Clock } from "../clock.js";
import { CacheError, describeValue } from "../errors.js";
import { compileGlob, toRedisMatchPattern } from "../glob.js";
import { jsonSerializer, type Serializer } from "../serializer.js";
import type { CacheEntry, CacheStore, EvictionReason } from "../types.js";
import {
  type RedisClientLike,
  type RedisCommands,
  type RedisSendCommand,
  toRedisCommands,
} from "./redis/command.js";
import { decodeEnvelope, encodeEnvelope } from "./redis/envelope.js";
import { countKeys, escapeMatch, scanKeys, unlinkAll } from "./redis/scan.js";
import { INVALIDATE_TAG_BATCH, runScript, SET_TAGGED } from "./redis/scripts.js";

export type {
  IoRedisLikeClient,
  NodeRedisLikeClient,
  RedisArgument,
  RedisClientLike,
  RedisSendCommand,
} from "./redis/command.js";

/**
 * Options of {@link redisStore}. Give exactly one of `client` and `sendCommand`.
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { client: new Redis(), prefix: "education:cache:" };
 * ```
 */
export interface RedisStoreOptions {
  /**
   * A client you created and connected: an ioredis `Redis` or a node-redis client (v4 to v6), told
   * apart by shape. The store sends commands through it and never connects, reconnects or closes it.
   * Do not set ioredis's `keyPrefix` (SCAN patterns would miss it): use `prefix`. Redis Cluster is
   * not supported.
   */
  readonly client?: RedisClientLike;
  /** Sends one command, for any other client (see {@link RedisSendCommand}). */
  readonly sendCommand?: RedisSendCommand;
  /**
   * Prepended to every Redis key: entries live at `<prefix>entry:<key>`, tag sets at
   * `<prefix>tag:<tag>`. `clear()` removes everything under it, so give each cache its own, and never
   * one that is a prefix of another cache's (`app:` would also clear `app:users:`).
   * @default "keel:cache:"
   */
  readonly prefix?: string;
  /**
   * Turns values into stored bytes and back.
   * @default jsonSerializer
   */
  readonly serializer?: Serializer;
  /**
   * Keys per SCAN step in `clear`, `invalidate`, `invalidateTags`, `keys` and `size`: one round trip
   * each. Larger means fewer round trips but a longer pause of Redis per step.
   * @default 1000
   */
  readonly scanCount?: number;
  /**
   * The clock entry lifetimes are measured with (epoch ms): it turns `staleUntil` into a Redis `PX`
   * and decides whether an entry read back is past `staleUntil`. Keep it close to real time.
   * @default Date
   */
  readonly clock?: Clock;
}

/**
 * A {@link CacheStore} on Redis, as {@link redisStore} returns it.
 *
 * @example
 * ```ts
 * const store: RedisStore = redisStore({ client });
 * store.prefix; // "keel:cache:"
 * ```
 */
export interface RedisStore extends CacheStore {
  /** The key prefix this store owns. */
  readonly prefix: string;
}

/** @internal How `tieredStore` reaches the commands of a `redisStore` L2 to publish with. */
export const REDIS_COMMANDS: unique symbol = Symbol("keel.cache.redisCommands");

/** Lifetimes beyond this (about 31,700 years) are stored without expiry: Redis refuses huge PX values. */
const MAX_PX = 1e15;
const WILDCARD = /[*?\\]/;

function invalid(message: string): CacheError {
  return new CacheError("ERR_KEEL_CACHE_OPTION", `redisStore: ${message}`);
}

function validate(options: RedisStoreOptions): Required<Omit<RedisStoreOptions, "client" | "sendCommand">> {
  const { prefix = "keel:cache:", serializer = jsonSerializer, scanCount = 1000, clock = Date } = options;
  if (typeof prefix !== "string" || prefix === "") {
    throw invalid(
      `\`prefix\` must be a non-empty string (clear() removes everything under it), got ${describeValue(prefix)}`,
    );
  }
  if (typeof serializer?.serialize !== "function" || typeof serializer.deserialize !== "function") {
    throw invalid("`serializer` must have `serialize(value)` and `deserialize(data)` methods");
  }
  if (!Number.isInteger(scanCount) || scanCount < 1 || scanCount > 100_000) {
    throw invalid(`\`scanCount\` must be a whole number from 1 to 100000, got ${describeValue(scanCount)}`);
  }
  if (typeof clock?.now !== "function")
    throw invalid("`clock` must have a `now()` method returning epoch ms");
  return { prefix, serializer, scanCount, clock };
}

/**
 * A {@link CacheStore} on Redis, shared by every process that uses the same Redis and `prefix`.
 *
 * - An entry is one Redis string (its lifetimes, tags and serialized value; see the envelope format
 *   in `redis/envelope.ts`), written with `SET ... PX <ms until staleUntil>`, so Redis expires it by
 *   itself and `get` is exactly one `GET`: one round trip.
 * - Tags are Redis sets (`<prefix>tag:<tag>` holds the entry keys). A tagged `set` is one Lua script
 *   (entry, memberships and set expiry, atomically): one round trip. A tag set expires with its
 *   longest-lived entry. `invalidateTags` walks each set with SSCAN in batches, removes only entries
 *   that still carry the tag, and empties the set as it goes.
 * - `invalidate(pattern)` and `clear()` walk the keyspace with SCAN MATCH (COUNT `scanCount`) and
 *   UNLINK what each step found, 250 keys per command, one command at a time, so reads from other
 *   clients run in between; never KEYS, never FLUSHDB. A pattern without wildcards is one UNLINK.
 *   `keys()` iterates SCAN lazily. Cost: SCAN visits the whole database, so these take about
 *   (all keys in the database / `scanCount`) SCAN round trips however few keys match, plus one
 *   UNLINK per 250 matches; `size()` walks the same way but counts on the server (no key names
 *   are transferred). SCAN may report a key twice if Redis
 *   resizes its table meanwhile, so `keys()` can repeat a key and `size()` can overcount slightly.
 * - Evictions: Redis expires and evicts (maxmemory) silently, so `onEvict` only hears `"expired"`
 *   for an entry read back past its `staleUntil` (a clock ahead of Redis's); Redis's own expiries and
 *   evictions are not reported and not counted.
 * - `close()` stops the store; your client stays open.
 *
 * @example
 * ```ts
 * import { Redis } from "ioredis";
 * const client = new Redis({ maxRetriesPerRequest: 1 });
 * const cache = createCache({ store: redisStore({ client, prefix: "education:cache:" }) });
 * ```
 * @example
 * ```ts
 * import { createClient } from "redis";
 * const client = await createClient({ url: "redis://127.0.0.1:6379" }).connect();
 * const store = redisStore({ client });
 * ```
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  if (typeof options !== "object" || options === null) throw invalid("pass an options object with `client`");
  const commands = toRedisCommands(options.client, options.sendCommand);
  const { prefix, serializer, scanCount, clock } = validate(options);
  const entryPrefix = `${prefix}entry:`;
  const tagPrefix = `${prefix}tag:`;
  const listeners = new Set<(key: string, reason: EvictionReason) => void>();
  let closed = false;

  const ensureOpen = (): void => {
    if (closed)
      throw new CacheError("ERR_KEEL_CACHE_CLOSED", "redisStore: used after close(); create a new store");
  };

  async function removeTagged(tag: string): Promise<number> {
    let cursor = "0";
    let removed = 0;
    do {
      const reply = await runScript(
        commands,
        INVALIDATE_TAG_BATCH,
        [tagPrefix + tag],
        [cursor, String(scanCount), tag],
      );
      const [next, n] = reply as [unknown, unknown];
      cursor = String(next);
      removed += Number(n);
    } while (cursor !== "0");
    return removed;
  }

  const store: RedisStore & { [REDIS_COMMANDS]: RedisCommands } = {
    name: "redis",
    capabilities: { liveValues: false, shared: true },
    prefix,
    [REDIS_COMMANDS]: commands,

    async get(key: string): Promise<CacheEntry | undefined> {
      ensureOpen();
      const reply = await commands.sendBuffers(["GET", entryPrefix + key]);
      if (reply === null || reply === undefined) return undefined;
      if (typeof reply !== "string" && !Buffer.isBuffer(reply)) {
        throw new TypeError(`redisStore: GET answered ${describeValue(reply)}, not a string`);
      }
      const { expiresAt, staleUntil, tags, payload } = decodeEnvelope(reply);
      if (clock.now() >= staleUntil) {
        // Past its life by our clock but not yet by Redis's: report it as the expiry it is.
        for (const listener of listeners) listener(key, "expired");
        return undefined;
      }
      const value = serializer.deserialize(payload);
      return tags === undefined ? { value, expiresAt, staleUntil } : { value, expiresAt, staleUntil, tags };
    },

    async set(key: string, entry: CacheEntry): Promise<void> {
      ensureOpen();
      const payload = serializer.serialize(entry.value);
      if (typeof payload !== "string" && !Buffer.isBuffer(payload)) {
        throw new CacheError(
          "ERR_KEEL_CACHE_SERIALIZE",
          "redisStore: the serializer must return a string or a Buffer",
        );
      }
      const envelope = encodeEnvelope(entry, payload);
      const redisKey = entryPrefix + key;
      const lifetime = entry.staleUntil - clock.now();
      if (!(lifetime > 0)) {
        // Already past staleUntil: replacing the old entry with nothing is all that is left to do.
        await commands.send(["UNLINK", redisKey]);
        return;
      }
      const px = lifetime > MAX_PX ? "" : String(Math.ceil(lifetime));
      const tags = [...new Set(entry.tags ?? [])];
      if (tags.length > 0) {
        await runScript(
          commands,
          SET_TAGGED,
          [redisKey, ...tags.map((tag) => tagPrefix + tag)],
          [envelope, px],
        );
      } else {
        await commands.send(px === "" ? ["SET", redisKey, envelope] : ["SET", redisKey, envelope, "PX", px]);
      }
    },

    async delete(key: string): Promise<boolean> {
      ensureOpen();
      return Number(await commands.send(["UNLINK", entryPrefix + key])) > 0;
    },

    async clear(): Promise<void> {
      ensureOpen();
      for await (const batch of scanKeys(commands, `${escapeMatch(prefix)}*`, scanCount)) {
        await unlinkAll(commands, batch);
      }
    },

    async *keys(pattern = "*"): AsyncGenerator<string, void, undefined> {
      ensureOpen();
      const matches = compileGlob(pattern);
      const match = escapeMatch(entryPrefix) + toRedisMatchPattern(pattern);
      for await (const batch of scanKeys(commands, match, scanCount)) {
        for (const redisKey of batch) {
          const key = redisKey.slice(entryPrefix.length);
          if (matches(key)) yield key;
        }
      }
    },

    async invalidate(pattern: string): Promise<number> {
      ensureOpen();
      const matches = compileGlob(pattern);
      if (!WILDCARD.test(pattern)) return Number(await commands.send(["UNLINK", entryPrefix + pattern]));
      const match = escapeMatch(entryPrefix) + toRedisMatchPattern(pattern);
      let removed = 0;
      for await (const batch of scanKeys(commands, match, scanCount)) {
        // MATCH over-selects when the pattern has `?` (Redis's is one byte, ours one character).
        const doomed = batch.filter((redisKey) => matches(redisKey.slice(entryPrefix.length)));
        removed += await unlinkAll(commands, doomed);
      }
      return removed;
    },

    async invalidateTags(tags: readonly string[]): Promise<number> {
      ensureOpen();
      const counts = await Promise.all([...new Set(tags)].map(removeTagged));
      return counts.reduce((sum, n) => sum + n, 0);
    },

    async size(): Promise<number> {
      ensureOpen();
      return countKeys(commands, `${escapeMatch(entryPrefix)}*`, scanCount);
    },

    onEvict(listener: (key: string, reason: EvictionReason) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async close(): Promise<void> {
      closed = true;
      listeners.clear();
    },
  };
  return store;
}
