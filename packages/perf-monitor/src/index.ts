export type { PerfMonitorErrorCode } from "./errors.js";
export { PerfMonitorError } from "./errors.js";
export type { HistogramSnapshot } from "./histogram.js";
export { bucketUpperBound, HISTOGRAM_LAYOUT, LogHistogram, nearestRank } from "./histogram.js";
