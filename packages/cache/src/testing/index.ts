export { type CacheStoreConformanceOptions, runCacheStoreConformance } from "./conformance.js";
export { createFakeClock, type FakeClock } from "./fake-clock.js";
