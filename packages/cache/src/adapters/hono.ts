import type { IncomingMessage } from "node:http";
import { fetchRequestView, nodeRequestView, type RequestView } from "@keel/http";
import type { Context, MiddlewareHandler } from "hono";
import type { ContentfulStatusCode, StatusCode } from "hono/utils/http-status";
import type { Cache } from "../cache-api.js";
import { collectBody, replayBody } from "../middleware/body.js";
import type { CacheMiddlewareOptions } from "../middleware/options.js";
import { ResponseCache } from "../middleware/response-cache.js";
import type { CacheRequest, Exchange, FinalResponse, ReplyStep, Step } from "../middleware/steps.js";
import type { ResponseHeaders } from "../middleware/stored-response.js";
import { withCache } from "./cache-property.js";
import { headerRecord } from "./node-exchange.js";

/**
 * Options of the Hono {@link cacheMiddleware}; callbacks receive the context `c`.
 *
 * @example
 * ```ts
 * const options: HonoCacheOptions = { ttl: 300, private: true, userId: (c) => c.get("user")?.id };
 * ```
 */
export type HonoCacheOptions = CacheMiddlewareOptions<Context>;

/**
 * The Hono middleware, with the cache it stores responses in.
 *
 * @example
 * ```ts
 * const cached = cacheMiddleware(3600);
 * app.get("/api/education/modules", cached, (c) => c.json(listModules()));
 * ```
 */
export type HonoCacheMiddleware = MiddlewareHandler & {
  /** The cache in use (the shared default one unless `cache` was given). */
  readonly cache: Cache;
};

/** The authority of an absolute URL (`https://example.com:8443/x` gives `example.com:8443`). */
function hostOf(url: string): string | undefined {
  const start = url.indexOf("://");
  if (start === -1) return undefined;
  const end = url.indexOf("/", start + 3);
  return url.slice(start + 3, end === -1 ? undefined : end);
}

/** A view of a Fetch request whose headers are read once: `Headers.get` is slow next to a map. */
function fetchView(request: Request): { view: RequestView; names: string[] } {
  const { method, path, query } = fetchRequestView(request);
  const headers = new Map<string, string>();
  request.headers.forEach((value, key) => {
    headers.set(key, value);
  });
  const header = (name: string): string | undefined => headers.get(name.toLowerCase());
  return { view: { method, path, query, remoteAddress: undefined, header }, names: [...headers.keys()] };
}

/**
 * The request as the cache reads it. Under `@hono/node-server`, from the Node request itself
 * (`c.env.incoming`): its headers are a plain object, and the Fetch `Headers` the runtime would
 * otherwise build for every request are never needed on a hit.
 */
function viewOf(c: Context): CacheRequest<Context> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (typeof incoming?.url === "string" && typeof incoming.headers === "object") {
    const headerNames = Object.keys(incoming.headers);
    return { view: nodeRequestView(incoming), req: c, user: c.var, headerNames };
  }
  const raw = c.req.raw;
  const { view, names } = fetchView(raw);
  return { view, req: c, user: c.var, host: hostOf(raw.url), headerNames: names };
}

function editRequest(c: Context, exchange: Exchange): void {
  if (exchange.removeRequestHeaders.length === 0 && exchange.setRequestHeaders.length === 0) return;
  const raw = c.req.raw;
  const headers = new Headers(raw.headers);
  for (const name of exchange.removeRequestHeaders) headers.delete(name);
  for (const [name, value] of exchange.setRequestHeaders) headers.set(name, value);
  // A copy rather than edits in place: on some runtimes an incoming request's headers are immutable.
  c.req.raw = new Request(raw, { headers });
}

function responseHeaders(headers: Headers): ResponseHeaders {
  const out: Record<string, string | readonly string[]> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) out["set-cookie"] = cookies;
  return out;
}

function toHeaders(record: FinalResponse["headers"]): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(record)) {
    if (typeof value === "string") headers.set(name, value);
    else for (const item of value) headers.append(name, item);
  }
  return headers;
}

/**
 * Whether the response so far carries headers (outer middleware's `c.header()`, or headers set on
 * `c.res`): read from an empty response built the way `c.body()` builds one, which starts from them.
 */
function hasPresetHeaders(c: Context): boolean {
  let found = false;
  c.newResponse(null).headers.forEach(() => {
    found = true;
  });
  return found;
}

/** Replaces `c.res` outright: Hono's setter would otherwise merge the old response's headers back in. */
function replaceResponse(c: Context, response: Response): void {
  c.res = undefined as unknown as Response;
  c.res = response;
}

function streamOf(source: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async pull(controller) {
      const next = await source.next();
      if (next.done === true) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: async () => {
      await source.return(undefined);
    },
  });
}

/** A Web stream as an async iterable, through its reader (not every runtime makes streams iterable). */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  for (;;) {
    const next = await reader.read();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Caches responses in Hono on any runtime (Node, Deno, Bun, Workers): hits are answered with a
 * `Response` built from the stored bytes, misses are read up to `maxBodySize` and stored. Use it
 * after authentication for `private` routes (`c.set("user", { id })`).
 *
 * @param options - the TTL in seconds, or {@link CacheMiddlewareOptions}
 * @throws CacheError `ERR_KEEL_CACHE_OPTION` naming an invalid option
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { cacheMiddleware } from "@keel/cache/hono";
 *
 * const app = new Hono();
 * app.get("/api/education/modules", cacheMiddleware(3600), async (c) => c.json({ success: true, data: await listModules() }));
 * ```
 */
export function cacheMiddleware(options: number | HonoCacheOptions): HonoCacheMiddleware {
  const core = new ResponseCache<Context>(options);
  // Not async: a hit on an in-process store is answered without an await of ours (Hono's types
  // want a promise back, so the answer is wrapped in a resolved one).
  const middleware: MiddlewareHandler = (c, next) => {
    const request = viewOf(c);
    const step = core.begin(request);
    if (step instanceof Promise) return step.then((decided) => proceed(c, next, request.view, decided));
    const answer = proceed(c, next, request.view, step);
    return answer instanceof Promise ? answer : Promise.resolve(answer);
  };

  function proceed(
    c: Context,
    next: () => Promise<void>,
    view: RequestView,
    step: Step,
  ): Response | Promise<Response | undefined> {
    if (step.kind === "reply") {
      const headers = headerRecord(step.headers);
      if (step.body !== null) headers["content-length"] = String(step.body.byteLength);
      const body = step.body === null || view.method === "HEAD" ? null : step.body;
      // Headers outer middleware set with c.header() (or on c.res) must be kept, which c.body() does
      // by copying everything into a Web Headers object, and the Node adapter copies it back: about
      // 2 µs a hit. When there are none, a Response with a plain record goes out as it is.
      if (!hasPresetHeaders(c))
        return new Response(body as BodyInit | null, { status: step.status, headers });
      return body === null
        ? c.body(null, step.status as StatusCode, headers)
        : c.body(body as Uint8Array<ArrayBuffer>, step.status as ContentfulStatusCode, headers);
    }
    return handle(c, next, step);
  }

  async function handle(
    c: Context,
    next: () => Promise<void>,
    step: Exclude<Step, ReplyStep>,
  ): Promise<undefined> {
    if (step.kind === "pass") {
      await next();
      return;
    }
    if (step.kind === "bypass") {
      await next();
      for (const [name, value] of step.headers) c.header(name, value);
      return;
    }
    const { exchange } = step;
    editRequest(c, exchange);
    // Read before the handler: headers already on the response were set by outer middleware.
    const preset: string[] = [];
    c.res.headers.forEach((_value, name) => {
      preset.push(name);
    });
    await next();
    const res = c.res;
    const collected =
      res.body === null ? undefined : await collectBody(chunksOf(res.body), exchange.maxBodySize);
    if (collected !== undefined && !collected.complete) {
      const headers = new Headers(res.headers);
      for (const [name, value] of exchange.passThrough("too-large", res.status)) headers.set(name, value);
      replaceResponse(c, new Response(streamOf(replayBody(collected)), { status: res.status, headers }));
      return;
    }
    const body = collected?.body ?? new Uint8Array(0);
    const final = await exchange.settle({
      status: res.status,
      headers: responseHeaders(res.headers),
      body,
      preset,
    });
    replaceResponse(
      c,
      new Response(final.body as BodyInit | null, {
        status: final.status,
        headers: toHeaders(final.headers),
      }),
    );
  }
  return withCache(middleware, core as ResponseCache<never>) as HonoCacheMiddleware;
}

export * from "./common-exports.js";
