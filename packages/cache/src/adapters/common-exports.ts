// What every adapter entry exports besides its own cacheMiddleware.
export {
  defaultCache,
  type InvalidateOptions,
  invalidateCache,
  invalidateCacheTags,
} from "../middleware/default-cache.js";
export type { CacheControlOptions, CacheMiddlewareOptions } from "../middleware/options.js";
