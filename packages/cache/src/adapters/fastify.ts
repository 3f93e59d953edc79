import { nodeRequestView } from "@keel/http";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Cache } from "../cache-api.js";
import type { CacheMiddlewareOptions } from "../middleware/options.js";
import { ResponseCache } from "../middleware/response-cache.js";
import type { HeaderPairs, Step } from "../middleware/steps.js";
import { asBuffer } from "./node-body.js";
import { editNodeRequest, interceptNodeResponse } from "./node-exchange.js";

/**
 * Options of the Fastify plugin; callbacks receive Fastify's `request`.
 *
 * @example
 * ```ts
 * const options: FastifyCacheOptions = { ttl: 60, keyGenerator: (request) => request.routeOptions.url ?? request.url };
 * ```
 */
export type FastifyCacheOptions = CacheMiddlewareOptions<FastifyRequest>;

/**
 * A Fastify plugin (not encapsulated: it caches the routes of the instance it is registered on
 * and of its children), with the cache it stores responses in.
 *
 * @example
 * ```ts
 * const plugin = cacheMiddleware(3600);
 * await app.register(plugin);
 * await plugin.cache.invalidateTags(["modules"]);
 * ```
 */
export interface FastifyCachePlugin {
  (fastify: FastifyInstance): Promise<void>;
  /** The cache in use (the shared default one unless `cache` was given). */
  readonly cache: Cache;
}

function setReplyHeaders(reply: FastifyReply, pairs: HeaderPairs): void {
  for (const [name, value] of pairs) reply.header(name, value);
}

/**
 * Caches Fastify (4 and 5) routes from `onRequest` (hits never reach routing's handler, or its
 * serialization); a miss's response is read as Fastify writes it to the Node response, after every
 * `onSend` hook (strings, Buffers, streams and Fetch `Response`s up to `maxBodySize`).
 * Register it inside a plugin with a prefix to cache only those routes; register it after
 * authentication for `private` routes (`request.user` with `id` or `userId`).
 *
 * @param options - the TTL in seconds, or {@link CacheMiddlewareOptions}
 * @throws CacheError `ERR_KEEL_CACHE_OPTION` naming an invalid option
 * @example
 * ```ts
 * import Fastify from "fastify";
 * import { cacheMiddleware } from "@keel/cache/fastify";
 *
 * const app = Fastify();
 * await app.register(async (scope) => {
 *   await scope.register(cacheMiddleware(3600));
 *   scope.get("/api/education/modules", async () => ({ success: true, data: await listModules() }));
 * });
 * ```
 */
export function cacheMiddleware(options: number | FastifyCacheOptions): FastifyCachePlugin {
  const core = new ResponseCache<FastifyRequest>(options);

  function onStep(
    request: FastifyRequest,
    reply: FastifyReply,
    step: Step,
    done: (error?: Error) => void,
  ): void {
    if (step.kind === "pass") {
      done();
      return;
    }
    if (step.kind === "reply") {
      reply.code(step.status);
      setReplyHeaders(reply, step.headers);
      // Answered from here: done() is not called, so the route handler does not run.
      reply.send(step.body === null ? undefined : asBuffer(step.body));
      return;
    }
    if (step.kind === "bypass") {
      setReplyHeaders(reply, step.headers);
      done();
      return;
    }
    editNodeRequest(request.raw, step.exchange);
    // The run's response is taken where Fastify writes it, on the Node response (after every onSend
    // hook), as the Express adapter does: an onSend hook of ours would cost every reply, hits too.
    const preset = [...Object.keys(reply.getHeaders()), ...reply.raw.getHeaderNames()];
    interceptNodeResponse(reply.raw, step.exchange, preset);
    done();
  }

  async function plugin(fastify: FastifyInstance): Promise<void> {
    // Callback style: a hit on an in-process store is answered in this tick, with no promise.
    fastify.addHook("onRequest", (request, reply, done) => {
      let step: Step | Promise<Step>;
      try {
        const view = nodeRequestView(request.raw);
        const headerNames = Object.keys(request.raw.headers);
        step = core.begin({ view, req: request, user: request, headerNames });
      } catch (error) {
        done(error as Error);
        return;
      }
      if (step instanceof Promise) {
        step.then(
          (decided) => onStep(request, reply, decided, done),
          (error: Error) => done(error),
        );
      } else onStep(request, reply, step, done);
    });
  }
  // What fastify-plugin does: the hooks apply to the instance it is registered on, not a child.
  Object.assign(plugin, {
    [Symbol.for("skip-override")]: true,
    [Symbol.for("fastify.display-name")]: "@keel/cache",
  });
  return Object.defineProperty(plugin, "cache", {
    get: () => core.cache,
    enumerable: true,
  }) as FastifyCachePlugin;
}

export * from "./common-exports.js";
