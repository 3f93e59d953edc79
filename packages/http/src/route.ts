/**
 * The template used for requests that matched no route (404s, middleware-only paths), so that
 * unmatched URLs, which a client chooses freely, never become names of their own.
 *
 * @example
 * ```ts
 * import { routeName, UNMATCHED_ROUTE } from "@keel/http";
 *
 * routeName("GET", undefined) === `GET ${UNMATCHED_ROUTE}`; // true: "GET (unmatched)"
 * ```
 */
export const UNMATCHED_ROUTE = "(unmatched)";

/**
 * The name of a route for metrics, cache partitions and rate-limit keys: the method and the
 * route's template (`GET /api/modules/:slug`), never the raw URL, so the number of names stays
 * the number of routes however many distinct URLs arrive.
 *
 * @param method - the request method, any case
 * @param template - the matched route template from one of the `*RouteTemplate` helpers, or
 *   `undefined` when no route matched
 * @returns `"<METHOD> <template>"`, or `"<METHOD> (unmatched)"`
 *
 * @example
 * ```ts
 * import { routeName } from "@keel/http";
 *
 * routeName("get", "/api/modules/:slug"); // "GET /api/modules/:slug"
 * routeName("GET", undefined); // "GET (unmatched)"
 * ```
 */
export function routeName(method: string, template: string | undefined): string {
  return `${method.toUpperCase()} ${template ?? UNMATCHED_ROUTE}`;
}
