/**
 * For the response-cache variants: proves, before any measurement, that the route is served from
 * the cache. Two requests: the first may miss (and fills the cache); the second must be a hit
 * (`X-Cache: HIT`) with the same body. A variant whose hits are not hits fails instead of
 * reporting the cost of something else.
 */
import { HOST } from "./variant.js";

/** Requests `path` twice on `port` and throws unless the second answer is a cache hit with the same body. */
export async function expectCacheHit(port: number, path = "/"): Promise<void> {
  const url = `http://${HOST}:${port}${path}`;
  const first = await fetch(url);
  const firstBody = await first.text();
  const second = await fetch(url);
  const secondBody = await second.text();
  const status = second.headers.get("x-cache");
  if (second.status !== 200 || status !== "HIT" || secondBody !== firstBody) {
    throw new Error(
      `expected a cache hit on ${path}: got ${second.status}, X-Cache ${status ?? "(none)"}, ` +
        `body ${secondBody === firstBody ? "unchanged" : "different"}`,
    );
  }
}
