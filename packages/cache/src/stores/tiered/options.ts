import { CacheError, describeValue } from "../../errors.js";
import type { CacheStore } from "../../types.js";
import { type RedisCommands, toRedisCommands } from "../redis/command.js";
import { subscriberKind } from "../redis/pubsub.js";
import { REDIS_COMMANDS, type RedisStore } from "../redis.js";
import type { TieredStoreOptions } from "../tiered.js";

function invalid(message: string): CacheError {
  return new CacheError("ERR_KEEL_CACHE_OPTION", `tieredStore: ${message}`);
}

const isStore = (value: unknown): value is CacheStore =>
  typeof value === "object" && value !== null && typeof (value as CacheStore).get === "function";

function publisherOf(l2: CacheStore, options: TieredStoreOptions): RedisCommands {
  if (options.client !== undefined || options.sendCommand !== undefined) {
    return toRedisCommands(options.client, options.sendCommand);
  }
  const commands = (l2 as Partial<Record<typeof REDIS_COMMANDS, RedisCommands>>)[REDIS_COMMANDS];
  if (commands === undefined) {
    throw invalid("pass `client` to publish invalidations with: the L2 store is not a redisStore");
  }
  return commands;
}

/** Checks `tieredStore`'s arguments eagerly and fills in the defaults. */
export function validate(stores: unknown, options: TieredStoreOptions) {
  if (!Array.isArray(stores) || stores.length !== 2 || !stores.every(isStore)) {
    throw invalid("pass two stores: [l1, l2], e.g. [memoryStore(), redisStore({ client })]");
  }
  const [l1, l2] = stores as [CacheStore, CacheStore];
  if (!l2.capabilities.shared) throw invalid(`the L2 store ("${l2.name}") must be shared between processes`);
  if (typeof options !== "object" || options === null || subscriberKind(options.subscriber) === undefined) {
    throw invalid("`subscriber` must be an ioredis or node-redis connection of its own (client.duplicate())");
  }
  const publisher = publisherOf(l2, options);
  const prefix = (l2 as Partial<RedisStore>).prefix;
  const { channel = `${prefix ?? "keel:cache:"}invalidations`, l1Ttl = 60, clock = Date } = options;
  if (typeof channel !== "string" || channel === "") {
    throw invalid(`\`channel\` must be a non-empty string, got ${describeValue(channel)}`);
  }
  if (typeof l1Ttl !== "number" || !(l1Ttl > 0) || !Number.isFinite(l1Ttl)) {
    throw invalid(`\`l1Ttl\` must be a positive finite number of seconds, got ${describeValue(l1Ttl)}`);
  }
  if (typeof clock?.now !== "function")
    throw invalid("`clock` must have a `now()` method returning epoch ms");
  const { onError = (error: unknown) => process.emitWarning(error as Error, "KeelCacheWarning") } = options;
  if (typeof onError !== "function") throw invalid("`onError` must be a function");
  return { l1, l2, publisher, channel, l1TtlMs: l1Ttl * 1000, clock, onError };
}
