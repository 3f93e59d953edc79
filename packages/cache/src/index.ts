export { CacheError, type CacheErrorCode } from "./errors.js";
export { compileGlob, type GlobMatcher, toRedisMatchPattern } from "./glob.js";
export type { CacheEntry, CacheStore, CacheStoreCapabilities, EvictionReason } from "./types.js";
