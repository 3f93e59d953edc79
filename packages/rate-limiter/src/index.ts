// The public surface of @keel/rate-limiter. Middleware lives in the framework subpaths
// (@keel/rate-limiter/express, /fastify, /hono, /koa, /node) and the store conformance suite in
// @keel/rate-limiter/testing.
export type { Algorithm, StepDecision } from "./algorithms/algorithm.js";
export { capacityOf } from "./algorithms/algorithm.js";
export { type FixedWindowState, fixedWindow } from "./algorithms/fixed-window.js";
export { type GcraState, gcra } from "./algorithms/gcra.js";
export { type AlgorithmStates, algorithms } from "./algorithms/registry.js";
export { type SlidingWindowState, slidingWindow } from "./algorithms/sliding-window.js";
export { type TokenBucketState, tokenBucket } from "./algorithms/token-bucket.js";
export { type Clock, systemClock } from "./clock.js";
export { RateLimiterError, type RateLimiterErrorCode } from "./errors.js";
export type {
  BlockedEvent,
  RateLimiterEvents,
  StoreErrorEvent,
  StoreRecoveredEvent,
} from "./events.js";
export type { HeadersMode } from "./middleware/headers.js";
export type { RateLimitMiddlewareOptions } from "./middleware/options.js";
export type { KeyList, PolicyOptions, RateLimiterOptions } from "./options.js";
export {
  type CheckOptions,
  createRateLimiter,
  type RateLimiter,
  type RateLimiterStats,
} from "./rate-limiter.js";
export type { PolicyResult, RateLimitReason, RateLimitResult } from "./result.js";
export { type MemoryStore, type MemoryStoreOptions, memoryStore } from "./stores/memory.js";
export {
  type IoRedisLikeClient,
  type NodeRedisLikeClient,
  type NodeRedisLikeCluster,
  type RedisClientLike,
  type RedisSendCommand,
  type RedisStoreOptions,
  redisStore,
} from "./stores/redis.js";
export type {
  ConsumeRequest,
  PolicyDecision,
  RateLimitAlgorithm,
  RateLimitPolicy,
  RateLimitStore,
  RateLimitStoreCapabilities,
} from "./types.js";
