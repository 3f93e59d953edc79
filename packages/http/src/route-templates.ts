// Reading the matched route template from each framework's request or context object. Structural
// types only: nothing here imports a framework.

function templateText(path: unknown): string | undefined {
  if (typeof path === "string") return path;
  if (path instanceof RegExp || Array.isArray(path)) return String(path);
  return undefined;
}

/**
 * The Express fields {@link expressRouteTemplate} reads (an Express `req` has them; any object is
 * accepted).
 *
 * @example
 * ```ts
 * import type { ExpressRouteSource } from "@keel/http";
 *
 * const source: ExpressRouteSource = { baseUrl: "/api", route: { path: "/modules/:slug" } };
 * ```
 */
export type ExpressRouteSource = object & {
  /** The path the current router is mounted at. */
  readonly baseUrl?: string;
  /** The matched route; `undefined` until one matches. */
  readonly route?: { readonly path?: unknown } | undefined;
};

/**
 * The route template an Express request matched: `req.baseUrl + req.route.path`, e.g.
 * `/api/modules/:slug` for `router.get("/modules/:slug")` mounted at `/api`.
 *
 * Read it after the route ran (when the response finishes): before that, `req.route` is unset.
 * Caveat: Express records where a router is mounted as the matched text, not the pattern, so a
 * router mounted at a path with parameters (`app.use("/users/:id", router)`) yields
 * `/users/42/...`; mount routers at fixed paths, or name such routes yourself.
 *
 * @param req - an Express request
 * @returns the template, or `undefined` when no route matched
 *
 * @example
 * ```ts
 * import { expressRouteTemplate, routeName } from "@keel/http";
 * import type { Request, Response, NextFunction } from "express";
 *
 * function logRoute(req: Request, res: Response, next: NextFunction): void {
 *   res.on("finish", () => console.log(routeName(req.method, expressRouteTemplate(req))));
 *   next();
 * }
 * ```
 */
export function expressRouteTemplate(req: ExpressRouteSource): string | undefined {
  const path = templateText(req.route?.path);
  return path === undefined ? undefined : (req.baseUrl ?? "") + path;
}

/**
 * The Fastify fields {@link fastifyRouteTemplate} reads (a Fastify `request` has them).
 *
 * @example
 * ```ts
 * import type { FastifyRouteSource } from "@keel/http";
 *
 * const source: FastifyRouteSource = { routeOptions: { url: "/api/modules/:slug" } };
 * ```
 */
export interface FastifyRouteSource {
  /** The options of the matched route; `url` is unset for the not-found handler. */
  readonly routeOptions: { readonly url?: string | undefined };
}

/**
 * The route template a Fastify request matched: `request.routeOptions.url`, prefixes included.
 *
 * @param request - a Fastify request
 * @returns the template, or `undefined` when no route matched (the not-found handler)
 *
 * @example
 * ```ts
 * import Fastify from "fastify";
 * import { fastifyRouteTemplate } from "@keel/http";
 *
 * const app = Fastify();
 * app.addHook("onResponse", async (request) => console.log(fastifyRouteTemplate(request)));
 * ```
 */
export function fastifyRouteTemplate(request: FastifyRouteSource): string | undefined {
  return request.routeOptions.url ?? undefined;
}

/**
 * The Hono fields {@link honoRouteTemplate} reads (a Hono context `c` has them).
 *
 * @example
 * ```ts
 * import type { HonoRouteSource } from "@keel/http";
 *
 * const source: HonoRouteSource = { req: { routePath: "/api/modules/:slug" } };
 * ```
 */
export interface HonoRouteSource {
  /** The request wrapper; `routePath` is the path of the handler that ran last. */
  readonly req: { readonly routePath: string };
}

/**
 * The route template a Hono request matched: `c.req.routePath`, read after `await next()`, when
 * it names the handler that ran last.
 *
 * When only catch-all middleware matched (`*`, `/*`, as for a 404), the path names the
 * middleware, not a route, and this returns `undefined`. Middleware mounted at a narrower
 * wildcard (`/api/*`) still names the requests only it matched: a bounded name, but not a route's.
 *
 * @param c - a Hono context
 * @returns the template, or `undefined` when no route matched
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { honoRouteTemplate, routeName } from "@keel/http";
 *
 * const app = new Hono();
 * app.use(async (c, next) => {
 *   await next();
 *   console.log(routeName(c.req.method, honoRouteTemplate(c)));
 * });
 * ```
 */
export function honoRouteTemplate(c: HonoRouteSource): string | undefined {
  let path: string | undefined;
  try {
    path = c.req.routePath;
  } catch {
    // Hono throws from routePath when nothing at all matched; that is "no route", not a failure.
    return undefined;
  }
  return typeof path !== "string" || path === "" || path === "*" || path === "/*" ? undefined : path;
}

/**
 * The Koa fields {@link koaRouteTemplate} reads (set on `ctx` by `@koa/router`). Any object is
 * accepted, so a plain Koa `ctx` type-checks without the router's context type.
 *
 * @example
 * ```ts
 * import type { KoaRouteSource } from "@keel/http";
 *
 * const source: KoaRouteSource = { _matchedRoute: "/api/modules/:slug" };
 * ```
 */
export type KoaRouteSource = object & {
  /** The path of the matched route layer, router prefix included. */
  readonly _matchedRoute?: string | RegExp | undefined;
};

/**
 * The route template a Koa request matched, as recorded by `@koa/router` in `ctx._matchedRoute`
 * (router prefixes included). Read it after `await next()`.
 *
 * @param ctx - a Koa context
 * @returns the template, or `undefined` when no router route matched
 *
 * @example
 * ```ts
 * import Koa from "koa";
 * import { koaRouteTemplate, routeName } from "@keel/http";
 *
 * const app = new Koa();
 * app.use(async (ctx, next) => {
 *   await next();
 *   console.log(routeName(ctx.method, koaRouteTemplate(ctx)));
 * });
 * ```
 */
export function koaRouteTemplate(ctx: KoaRouteSource): string | undefined {
  return templateText(ctx._matchedRoute);
}
