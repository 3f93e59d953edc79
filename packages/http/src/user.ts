function field(source: unknown, key: string): unknown {
  return (typeof source === "object" || typeof source === "function") && source !== null
    ? (source as Record<string, unknown>)[key]
    : undefined;
}

function idText(value: unknown): string | undefined {
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === "bigint") return String(value);
  return undefined;
}

/**
 * The signed-in user's id, found where authentication middleware usually leaves it:
 * `source.user.id`, else `source.user.userId`, else `source.userId`. Numbers are turned into
 * strings; empty strings, non-finite numbers and other types are skipped.
 *
 * Pass what your framework's auth puts the user on: `req` (Express, node:http), `request`
 * (Fastify), `ctx.state` (Koa), `c.var` (Hono). The rate limiter keys signed-in users by it and
 * the response cache keeps private entries per it, so it must run after authentication.
 *
 * @param source - the object authentication decorated
 * @returns the id as a string, or `undefined` for an anonymous request
 *
 * @example
 * ```ts
 * import { defaultUserId } from "@keel/http";
 *
 * defaultUserId({ user: { id: 42 } }); // "42"
 * defaultUserId({ user: { userId: "u_1" } }); // "u_1"
 * defaultUserId({ userId: "u_2" }); // "u_2"
 * defaultUserId({}); // undefined
 * ```
 */
export function defaultUserId(source: unknown): string | undefined {
  const user = field(source, "user");
  return idText(field(user, "id")) ?? idText(field(user, "userId")) ?? idText(field(source, "userId"));
}
