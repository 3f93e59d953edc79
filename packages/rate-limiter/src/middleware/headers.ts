import type { PolicyResult, RateLimitResult } from "../result.js";

/**
 * Which rate-limit response headers the middleware sends:
 * - `"legacy"`: the original's `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`
 *   (epoch seconds; the original sent a date string);
 * - `"draft"`: `RateLimit-Policy` and `RateLimit` as structured fields, in the syntax of
 *   draft-ietf-httpapi-ratelimit-headers-10, e.g. `RateLimit-Policy: "default";q=100;w=60` and
 *   `RateLimit: "default";r=42;t=17` (one list member per policy);
 * - `"both"` (the default), or `false` for none.
 *
 * `Retry-After` (seconds) is sent on every refusal whatever this says.
 *
 * @example
 * ```ts
 * rateLimitMiddleware({ limit: 100, window: 60, headers: "draft" });
 * ```
 */
export type HeadersMode = "legacy" | "draft" | "both" | false;

/** `w` is an sf-integer of seconds: sent only for whole-second windows. */
function policyMember(policy: PolicyResult): string {
  const window = Number.isInteger(policy.window) ? `;w=${policy.window}` : "";
  return `"${policy.policy}";q=${policy.limit}${window}`;
}

/**
 * The `RateLimit-Policy` field for a result's policies (draft-ietf-httpapi-ratelimit-headers-10).
 * Policy names are limited to printable ASCII without `"` and `\`, so they need no escaping.
 */
/** The last single-policy field and what it was built from: a policy rarely changes between requests. */
let lastPolicy: PolicyResult | undefined;
let lastPolicyField = "";

export function policyField(policies: readonly PolicyResult[]): string {
  if (policies.length !== 1) return policies.map(policyMember).join(", ");
  const only = policies[0] as PolicyResult;
  const last = lastPolicy;
  if (
    last === undefined ||
    last.policy !== only.policy ||
    last.limit !== only.limit ||
    last.window !== only.window
  ) {
    lastPolicyField = policyMember(only);
    lastPolicy = only;
  }
  return lastPolicyField;
}

/** The `RateLimit` field: remaining units and whole seconds until reset, per policy. */
function rateLimitMember(p: PolicyResult, now: number): string {
  return `"${p.policy}";r=${p.remaining};t=${Math.max(0, Math.ceil((p.resetAt - now) / 1000))}`;
}

export function rateLimitField(policies: readonly PolicyResult[], now: number): string {
  if (policies.length === 1) return rateLimitMember(policies[0] as PolicyResult, now);
  return policies.map((p) => rateLimitMember(p, now)).join(", ");
}

/**
 * The headers for one decision. Nothing about quotas is sent when no quota applied (allow-listed
 * keys, or a store failure that `onStoreError` decided); a refusal always carries `Retry-After`.
 */
export function rateLimitHeaders(
  result: RateLimitResult,
  mode: HeadersMode,
  now: number,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const quota = result.reason !== "allow-listed" && result.reason !== "store-error";
  if (quota && (mode === "legacy" || mode === "both")) {
    headers["X-RateLimit-Limit"] = String(result.limit);
    headers["X-RateLimit-Remaining"] = String(result.remaining);
    headers["X-RateLimit-Reset"] = String(Math.ceil(result.resetAt / 1000));
  }
  if (quota && (mode === "draft" || mode === "both")) {
    headers["RateLimit-Policy"] = policyField(result.policies);
    headers.RateLimit = rateLimitField(result.policies, now);
  }
  if (!result.allowed) headers["Retry-After"] = String(Math.max(1, result.retryAfter));
  return headers;
}
