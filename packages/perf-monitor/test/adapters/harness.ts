import type { Monitor, RequestPerf } from "../../src/index.js";
import type { MiddlewareOptions } from "../../src/request-timer.js";

/** A response as every harness reports it: header names in lower case. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

/** An app built with the middleware, reachable in-process. */
export interface TestApp {
  request(method: string, path: string): Promise<TestResponse>;
  close(): Promise<void>;
}

/** The fake clock handlers move, so that every duration in a scenario is known exactly. */
export interface ScenarioClock {
  now(): number;
  advance(ms: number): void;
}

/**
 * One framework wired to the middleware with the same routes:
 * - `GET /api/education/modules/:slug` (under a router mounted at `/api/education` where the
 *   framework has routers): times `db` (3 ms) through the request's handle, records `cache`
 *   (0.25 ms), takes 5 ms more, answers 200 JSON.
 * - `POST /api/progress`: 1 ms, answers 201.
 * - `GET /boom`: throws; the framework's error handling answers 500.
 * - `GET /stream`: sends its head and a first chunk, takes 10 ms, then the last chunk.
 * Anything else is a 404 from the framework.
 */
export interface Harness {
  readonly name: string;
  /** Whether the metric is taken at the last byte (false: when the handler's Response is ready). */
  readonly lastByte: boolean;
  start(options: MiddlewareOptions & { monitor: Monitor }, clock: ScenarioClock): Promise<TestApp>;
}

/** The module route's work, shared by every harness. */
export function moduleWork(perf: RequestPerf | undefined, clock: ScenarioClock, slug: string) {
  if (perf === undefined) throw new Error("the middleware did not attach the per-request handle");
  const end = perf.start("db");
  clock.advance(3);
  end();
  perf.record("cache", 0.25);
  clock.advance(5);
  return { success: true, data: { slug } };
}

/** Lower-cases header names and joins repeated values. */
export function plainHeaders(
  headers: Iterable<[string, unknown]> | Record<string, unknown>,
): Record<string, string> {
  const entries =
    Symbol.iterator in headers ? [...(headers as Iterable<[string, unknown]>)] : Object.entries(headers);
  const out: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (value !== undefined)
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}

/**
 * A body sending "a", then, once the client reads on, 10 ms of fake time later, "b": the Fetch
 * version of the `/stream` route. With the first chunk queued, the stream is pulled again only when
 * the client reads.
 */
export function twoChunkStream(clock: ScenarioClock): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("a"));
    },
    pull(controller) {
      clock.advance(10);
      controller.enqueue(encoder.encode("b"));
      controller.close();
    },
  });
}
