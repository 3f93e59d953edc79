// Whether a response may be stored (RFC 9111 section 3, plus the cache's safety rules), and why not.
import type { Directives } from "./cache-control.js";
import { type Freshness, mayServeStale } from "./freshness.js";
import { type CapturedHttpResponse, fieldNames, headerText } from "./stored-response.js";

/** Why a response was not stored; reported in `Cache-Status` as `detail`. */
export type NotStoredReason =
  | "status"
  | "set-cookie"
  | "no-store"
  | "private"
  | "no-cache"
  | "vary-star"
  | "authorization"
  | "stale"
  | "too-large"
  | "streaming"
  | "aborted"
  | "invalidated";

/** What the decision depends on besides the response. */
export interface StorePolicy {
  readonly http: boolean;
  /** A per-user route: `private` responses are the user's own and may be stored. */
  readonly private: boolean;
  readonly statuses: ReadonlySet<number>;
  /** The request carried Authorization (HTTP mode only gets this far with it). */
  readonly authorization: boolean;
}

/**
 * The reason `captured` must not be stored, or `undefined` when it may be. In both modes: a status
 * outside `statuses`, a `Set-Cookie` (a deliberate deviation from RFC 9111, which allows storing
 * it: a cookie is one client's), `no-store`, `private` (unless the route is per user), and
 * `Vary: *`. Route mode also refuses `no-cache`. HTTP mode applies section 3.5 to requests with
 * Authorization (stored only with `public`, `s-maxage` or `must-revalidate`) and stores nothing it
 * could never reuse: stale on arrival, not servable stale, and without validators.
 */
export function whyNotStored(
  captured: CapturedHttpResponse,
  directives: Directives,
  policy: StorePolicy,
  freshness: Freshness | undefined,
  revalidatable: boolean,
): NotStoredReason | undefined {
  if (!policy.statuses.has(captured.status)) return "status";
  if (captured.headers["set-cookie"] !== undefined) return "set-cookie";
  if (directives.has("no-store")) return "no-store";
  if (directives.has("private") && !policy.private) return "private";
  if (fieldNames(headerText(captured.headers.vary)).includes("*")) return "vary-star";
  if (!policy.http) return directives.has("no-cache") ? "no-cache" : undefined;
  if (
    policy.authorization &&
    !directives.has("public") &&
    !directives.has("s-maxage") &&
    !directives.has("must-revalidate")
  ) {
    return "authorization";
  }
  if (freshness === undefined || revalidatable) return undefined;
  if (freshness.noCache) return "no-cache";
  const staleWindow = mayServeStale(freshness)
    ? Math.max(freshness.staleWhileRevalidate, freshness.staleIfError)
    : 0;
  return freshness.lifetime - freshness.initialAge + staleWindow > 0 ? undefined : "stale";
}
