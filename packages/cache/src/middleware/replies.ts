// Answers from stored responses: choosing the variant a request selects, and the reply (or 304).
import { type CacheStatus, cacheHeaders, type XCache } from "./cache-status.js";
import { type Conditionals, NOT_MODIFIED_HEADERS, notModified } from "./conditional.js";
import type { ReplyStep } from "./steps.js";
import type { HttpCacheEntry, StoredResponse } from "./stored-response.js";

/** The values of `names` in a request, trimmed; `null` for an absent header. */
export function varyValuesOf(
  names: readonly string[],
  header: (name: string) => string | undefined,
): (string | null)[] {
  return names.map((name) => header(name)?.trim() ?? null);
}

export function sameValues(a: readonly (string | null)[], b: readonly (string | null)[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** The variant of `entry` the request selects (RFC 9111 section 4.1), if stored. */
export function selectVariant(
  entry: HttpCacheEntry,
  header: (name: string) => string | undefined,
): StoredResponse | undefined {
  if (entry.vary.length === 0) return entry.variants[0];
  const values = varyValuesOf(entry.vary, header);
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

export function conditionalsOf(header: (name: string) => string | undefined): Conditionals {
  return { ifNoneMatch: header("if-none-match"), ifModifiedSince: header("if-modified-since") };
}
