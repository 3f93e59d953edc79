/**
 * Driving a server with autocannon's programmatic API. Latency is recorded here, from autocannon's
 * per-response event, into a microsecond histogram: autocannon's own histogram keeps whole
 * milliseconds, too coarse for a p99 of 1-3 ms on localhost.
 */
import autocannon from "autocannon";
import { build } from "hdr-histogram-js";

/** How hard and how long to drive a server. */
export interface LoadOptions {
  /** Concurrent keep-alive connections. */
  connections: number;
  /** Requests in flight per connection. */
  pipelining: number;
  /** Seconds to drive it for. */
  durationSec: number;
}

/** What one drive measured, from the client's side. */
export interface LoadResult {
  /** Responses received (any status). */
  requests: number;
  /** Wall-clock seconds the drive took. */
  durationSec: number;
  /** Responses per second. */
  rps: number;
  /** Median latency, milliseconds. */
  p50Ms: number;
  /** 99th-percentile latency, milliseconds. */
  p99Ms: number;
  /** Responses whose status was not 2xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
}

/** Drives `url` for `options.durationSec` seconds and reports what the client saw. */
export function drive(url: string, options: LoadOptions): Promise<LoadResult> {
  const latency = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  let responses = 0;
  let non2xx = 0;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: options.connections,
        pipelining: options.pipelining,
        duration: options.durationSec,
        timeout: 10,
      },
      (error, result) => {
        const durationSec = (performance.now() - started) / 1000;
        if (error) return reject(error);
        resolve({
          requests: responses,
          durationSec,
          rps: responses / durationSec,
          p50Ms: latency.getValueAtPercentile(50) / 1000,
          p99Ms: latency.getValueAtPercentile(99) / 1000,
          non2xx,
          errors: result.errors + result.timeouts,
        });
        latency.destroy();
      },
    );
    // Counted here rather than read from the result: autocannon sums per-second ticks, which can
    // miss the last partial second of a short drive.
    instance.on("response", (_client, status, _bytes, responseTimeMs) => {
      responses++;
      if (status < 200 || status > 299) non2xx++;
      latency.recordValue(Math.max(1, Math.round(responseTimeMs * 1000)));
    });
  });
}
