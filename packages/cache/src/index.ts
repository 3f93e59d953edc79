export { createCache } from "./cache.js";
export type { Cache, CacheStats } from "./cache-api.js";
export { type Clock, systemClock } from "./clock.js";
export { CacheError, type CacheErrorCode } from "./errors.js";
export type {
  CacheEventSource,
  CacheEvents,
  CacheListener,
  CacheOperation,
  DeleteEvent,
} from "./events.js";
export { compileGlob, type GlobMatcher, toRedisMatchPattern } from "./glob.js";
export type { CacheOptions, SetOptions, TtlArgument } from "./options.js";
export { jsonSerializer, type Serializer } from "./serializer.js";
export { type MemoryStoreOptions, memoryStore } from "./stores/memory.js";
export { approximateSize } from "./stores/memory-size.js";
export {
  type IoRedisLikeClient,
  type NodeRedisLikeClient,
  type RedisArgument,
  type RedisClientLike,
  type RedisSendCommand,
  type RedisStore,
  type RedisStoreOptions,
  redisStore,
} from "./stores/redis.js";
export {
  type IoRedisLikeSubscriber,
  type NodeRedisLikeSubscriber,
  type RedisSubscriberLike,
  type TieredStore,
  type TieredStoreOptions,
  tieredStore,
} from "./stores/tiered.js";
export type { CacheEntry, CacheStore, CacheStoreCapabilities, EvictionReason } from "./types.js";
