// Answers from stored responses: choosing the variant a request selects, and the reply (or 304).
import type { RequestView } from "@keel/http";
import { type CacheStatus, cacheHeaders, type XCache } from "./cache-status.js";
import { type Conditionals, NOT_MODIFIED_HEADERS, notModified } from "./conditional.js";
import type { ReplyStep } from "./steps.js";
import type { HttpCacheEntry, StoredResponse } from "./stored-response.js";

/** Where request headers are read from: a `RequestView`. */
export type HeaderSource = Pick<RequestView, "header">;

/** The values of `names` in a request, trimmed; `null` for an absent header. */
export function varyValuesOf(names: readonly string[], request: HeaderSource): (string | null)[] {
  return names.map((name) => request.header(name)?.trim() ?? null);
}

export function sameValues(a: readonly (string | null)[], b: readonly (string | null)[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** The variant of `entry` the request selects (RFC 9111 section 4.1), if stored. */
export function selectVariant(entry: HttpCacheEntry, request: HeaderSource): StoredResponse | undefined {
  if (entry.vary.length === 0) return entry.variants[0];
  const values = varyValuesOf(entry.vary, request);
  return entry.variants.find((variant) => sameValues(variant.varyValues, values));
}

/** A reply from a stored response: the full response, or a 304 when the client's copy is current. */
export function replyFrom(
  stored: StoredResponse,
  age: number,
  xCache: XCache,
  status: CacheStatus,
  conditionals: Conditionals,
): ReplyStep {
  const extra = cacheHeaders(xCache, status, age);
  if (notModified(conditionals, stored)) {
    const kept = stored.headers.filter(([name]) => NOT_MODIFIED_HEADERS.has(name));
    return { kind: "reply", status: 304, headers: [...kept, ...extra], body: null };
  }
  return { kind: "reply", status: stored.status, headers: [...stored.headers, ...extra], body: stored.body };
}

/** A request without conditional headers. */
export const NO_CONDITIONALS: Conditionals = { ifNoneMatch: undefined, ifModifiedSince: undefined };

/** The client's conditional headers. */
export function conditionalsOf(request: HeaderSource): Conditionals {
  return {
    ifNoneMatch: request.header("if-none-match"),
    ifModifiedSince: request.header("if-modified-since"),
  };
}
