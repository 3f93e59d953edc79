// One table of request/response scenarios run against every framework adapter with in-process
// requests, plus the behaviours that need concurrency (coalescing, 1,000 users) or a real Redis.
import { afterEach, describe, expect, it } from "vitest";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import { createCache } from "../../src/cache.js";
import type { Cache } from "../../src/cache-api.js";
import type { Clock } from "../../src/clock.js";
import { invalidateCache, invalidateCacheTags } from "../../src/middleware/default-cache.js";
import type { CacheMiddlewareOptions } from "../../src/middleware/options.js";
import { redisStore } from "../../src/stores/redis.js";
import type { CacheStore } from "../../src/types.js";
import { type ClientName, connectClient, type TestClient } from "../stores/redis-clients.js";
import { Backend, type OriginScript } from "./backend.js";

export interface AppRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface AppResponse {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

/** An app of one framework: fake auth (`x-user`), `x-request-id` set before the cache, the middleware, the backend's routes. */
export interface FrameworkApp {
  send(request: AppRequest): Promise<AppResponse>;
  close(): Promise<void>;
}

/** Builds the middleware options for a framework, given how it reads a request header. */
export type OptionsFor = <Req>(
  header: (req: Req, name: string) => string | undefined,
) => CacheMiddlewareOptions<Req>;

export interface Framework {
  readonly name: string;
  start(options: OptionsFor, backend: Backend): Promise<FrameworkApp>;
}

/** Framework-neutral middleware options; `keyHeader` becomes a keyGenerator reading that header. */
export type ScenarioOptions = Omit<
  CacheMiddlewareOptions<never>,
  "keyGenerator" | "key" | "userId" | "cache" | "clock"
> & {
  readonly keyHeader?: string;
};

interface Step {
  readonly request: AppRequest | string;
  /** Milliseconds the clock moves first. */
  readonly advance?: number;
  /** What `/origin` answers from this step on. */
  readonly origin?: Partial<OriginScript>;
  /** Runs first, with the app's cache (invalidations). */
  readonly before?: (cache: Cache) => Promise<unknown>;
  readonly status: number;
  /** `X-Cache`; `null` when the response must not carry one. */
  readonly xCache?: "HIT" | "MISS" | "STALE" | "BYPASS" | null;
  readonly body?: string | RegExp;
  /** Expected headers: a value, a pattern, or `undefined` for absent. */
  readonly headers?: Readonly<Record<string, string | RegExp | undefined>>;
  /** Handler runs per path after this step. */
  readonly calls?: Readonly<Record<string, number>>;
}

interface Scenario {
  readonly name: string;
  readonly options?: ScenarioOptions;
  readonly steps: readonly Step[];
}

const STRONG_ETAG = /^"[\w-]{27}"$/;
const get = (path: string, headers: Record<string, string> = {}): AppRequest => ({ path, headers });
const as = (user: string, path = "/progress"): AppRequest => ({ path, headers: { "x-user": user } });

// Request header values "$etag" and "$last-modified" stand for the previous response's.
const SCENARIOS: readonly Scenario[] = [
  {
    name: "stores a JSON response and replays it from one store read, with its status and type",
    steps: [
      {
        request: "/modules",
        status: 200,
        xCache: "MISS",
        body: /"n":1/,
        headers: { age: "0", "content-type": /json/ },
      },
      {
        request: "/modules",
        advance: 5000,
        status: 200,
        xCache: "HIT",
        body: /"n":1/,
        headers: { age: "5", "content-type": /json/, "cache-status": "keel; hit; ttl=55" },
        calls: { "/modules": 1 },
      },
    ],
  },
  {
    name: "caches text, Buffer and streamed bodies byte for byte",
    steps: [
      { request: "/text", status: 200, xCache: "MISS", body: "hello 1" },
      {
        request: "/text",
        status: 200,
        xCache: "HIT",
        body: "hello 1",
        headers: { "content-type": /text\/plain/ },
      },
      { request: "/buffer", status: 200, xCache: "MISS", body: "bytes 1" },
      { request: "/buffer", status: 200, xCache: "HIT", body: "bytes 1", headers: { "content-length": "7" } },
      { request: "/stream", status: 200, xCache: "MISS", body: "chunk-a chunk-b n=1" },
      {
        request: "/stream",
        status: 200,
        xCache: "HIT",
        body: "chunk-a chunk-b n=1",
        calls: { "/stream": 1 },
      },
    ],
  },
  {
    name: "serves a fresh response again once the ttl has passed",
    options: { ttl: 60 },
    steps: [
      { request: "/modules", status: 200, xCache: "MISS", body: /"n":1/ },
      { request: "/modules", advance: 59_000, status: 200, xCache: "HIT", body: /"n":1/ },
      {
        request: "/modules",
        advance: 2000,
        status: 200,
        xCache: "MISS",
        body: /"n":2/,
        calls: { "/modules": 2 },
      },
    ],
  },
  {
    name: "lets a body larger than maxBodySize through whole and uncached",
    options: { ttl: 60, maxBodySize: 1000 },
    steps: [
      {
        request: "/big",
        status: 200,
        xCache: "MISS",
        body: /^x{600}y{600}1$/,
        headers: { "cache-status": /detail=too-large/ },
      },
      { request: "/big", status: 200, xCache: "MISS", body: /^x{600}y{600}2$/, calls: { "/big": 2 } },
    ],
  },
  {
    name: "never stores a response that sets a cookie, and each client gets its own cookie",
    steps: [
      {
        request: "/cookie",
        status: 200,
        xCache: "MISS",
        body: "cookie 1",
        headers: { "set-cookie": /sid=1/, "cache-status": /detail=set-cookie/ },
      },
      {
        request: "/cookie",
        status: 200,
        xCache: "MISS",
        body: "cookie 2",
        headers: { "set-cookie": /sid=2/ },
        calls: { "/cookie": 2 },
      },
    ],
  },
  {
    name: "never stores Cache-Control private, no-store or no-cache responses on a shared route",
    steps: [
      { request: "/private", status: 200, xCache: "MISS", headers: { "cache-status": /detail=private/ } },
      { request: "/private", status: 200, xCache: "MISS", body: "private 2" },
      { request: "/no-store", status: 200, xCache: "MISS", headers: { "cache-status": /detail=no-store/ } },
      { request: "/no-store", status: 200, xCache: "MISS", body: "no-store 2" },
      { request: "/no-cache", status: 200, xCache: "MISS" },
      { request: "/no-cache", status: 200, xCache: "MISS", body: "no-cache 2" },
    ],
  },
  {
    name: "never stores errors, so an error is never replayed, let alone as a 200",
    steps: [
      {
        request: "/missing",
        status: 404,
        xCache: "MISS",
        body: /"n":1/,
        headers: { "cache-status": /detail=status/ },
      },
      { request: "/missing", status: 404, xCache: "MISS", body: /"n":2/ },
      { request: "/error", status: 500, xCache: "MISS" },
      { request: "/error", status: 500, xCache: "MISS", calls: { "/error": 2 } },
      { request: "/throws", status: 500 },
      { request: "/throws", status: 500, calls: { "/throws": 2 } },
    ],
  },
  {
    name: "never answers a request with Authorization from a shared entry, nor stores its response",
    steps: [
      { request: "/modules", status: 200, xCache: "MISS" },
      {
        request: get("/modules", { authorization: "Bearer abc" }),
        status: 200,
        xCache: "BYPASS",
        body: /"n":2/,
        headers: { "cache-status": "keel; fwd=bypass; detail=authorization", age: undefined },
      },
      { request: "/modules", status: 200, xCache: "HIT", body: /"n":1/, calls: { "/modules": 2 } },
    ],
  },
  {
    name: "bypasses requests with a session cookie, not those with other cookies",
    steps: [
      { request: "/modules", status: 200, xCache: "MISS" },
      {
        request: get("/modules", { cookie: "theme=dark; connect.sid=s%3Aabc" }),
        status: 200,
        xCache: "BYPASS",
        body: /"n":2/,
      },
      {
        request: get("/modules", { cookie: "_ga=GA1.2.3; theme=dark" }),
        status: 200,
        xCache: "HIT",
        body: /"n":1/,
      },
    ],
  },
  {
    name: "keeps one entry per user on a private route, and does not cache anonymous requests",
    options: { ttl: 60, private: true },
    steps: [
      { request: as("alice"), status: 200, xCache: "MISS", body: '{"user":"alice","n":1}' },
      { request: as("bob"), status: 200, xCache: "MISS", body: '{"user":"bob","n":2}' },
      { request: as("alice"), status: 200, xCache: "HIT", body: '{"user":"alice","n":1}' },
      { request: as("bob"), status: 200, xCache: "HIT", body: '{"user":"bob","n":2}' },
      { request: "/progress", status: 200, xCache: "BYPASS", body: '{"user":null,"n":3}' },
      {
        request: {
          path: "/progress",
          headers: { "x-user": "carol", authorization: "Bearer c", cookie: "sid=1" },
        },
        status: 200,
        xCache: "MISS",
        body: '{"user":"carol","n":4}',
      },
    ],
  },
  {
    name: "answers If-None-Match (exact, weak, lists, *) from the URL's own entry with an empty 304",
    steps: [
      { request: "/modules", status: 200, xCache: "MISS", headers: { etag: STRONG_ETAG } },
      {
        request: get("/modules", { "if-none-match": "$etag" }),
        status: 304,
        xCache: "HIT",
        body: "",
        headers: { etag: STRONG_ETAG, "content-type": undefined },
      },
      { request: get("/modules", { "if-none-match": "W/$etag" }), status: 304, xCache: "HIT", body: "" },
      { request: get("/modules", { "if-none-match": '"other", W/"x,y", $etag' }), status: 304, body: "" },
      { request: get("/modules", { "if-none-match": "*" }), status: 304, body: "" },
      {
        request: get("/modules", { "if-none-match": '"stale-tag"' }),
        status: 200,
        xCache: "HIT",
        body: /"n":1/,
      },
      {
        request: get("/tutorials", { "if-none-match": "$etag" }),
        status: 200,
        xCache: "MISS",
        body: /"n":1/,
      },
      { request: "/modules", status: 200, calls: { "/modules": 1, "/tutorials": 1 } },
    ],
  },
  {
    name: "answers If-Modified-Since with a 304 when the stored response is not newer",
    steps: [
      { request: "/text", status: 200, xCache: "MISS", headers: { "last-modified": /GMT$/ } },
      {
        request: get("/text", { "if-modified-since": "$last-modified" }),
        advance: 3000,
        status: 304,
        body: "",
      },
      {
        request: get("/text", { "if-modified-since": "Sat, 01 Jan 2000 00:00:00 GMT" }),
        status: 200,
        body: "hello 1",
      },
      { request: get("/text", { "if-modified-since": "yesterday" }), status: 200, body: "hello 1" },
    ],
  },
  {
    name: "answers a conditional miss with a 304 from the fresh response, and hides the condition from the handler",
    steps: [
      {
        request: get("/modules", { "if-none-match": "*" }),
        status: 304,
        xCache: "MISS",
        body: "",
        headers: { etag: STRONG_ETAG },
      },
      {
        request: get("/modules", { "if-none-match": "$etag" }),
        status: 304,
        xCache: "HIT",
        body: "",
        calls: { "/modules": 1 },
      },
      { request: get("/text", { "if-none-match": '"nope"' }), status: 200, xCache: "MISS", body: "hello 1" },
    ],
  },
  {
    name: "sorts query parameters into one key, and keeps different queries apart",
    steps: [
      { request: "/modules?b=2&a=1", status: 200, xCache: "MISS" },
      { request: "/modules?a=1&b=2", status: 200, xCache: "HIT" },
      { request: "/modules?a=1&&b=2", status: 200, xCache: "HIT" },
      { request: "/modules?a=1", status: 200, xCache: "MISS", calls: { "/modules": 2 } },
    ],
  },
  {
    name: "stores one variant per value of the headers the response varies on",
    steps: [
      { request: get("/vary", { "accept-language": "en" }), status: 200, xCache: "MISS", body: "lang=en 1" },
      { request: get("/vary", { "accept-language": "fr" }), status: 200, xCache: "MISS", body: "lang=fr 2" },
      {
        request: get("/vary", { "accept-language": "en" }),
        status: 200,
        xCache: "HIT",
        body: "lang=en 1",
        headers: { vary: /Accept-Language/i },
      },
      { request: get("/vary", { "accept-language": "fr" }), status: 200, xCache: "HIT", body: "lang=fr 2" },
      { request: "/vary", status: 200, xCache: "MISS", body: "lang=none 3" },
      { request: "/vary-star", status: 200, xCache: "MISS", headers: { "cache-status": /detail=vary-star/ } },
      { request: "/vary-star", status: 200, xCache: "MISS", body: "star 2" },
    ],
  },
  {
    name: "keys the headers a route declares in vary, and tells downstream caches",
    options: { ttl: 60, vary: ["X-Tenant"] },
    steps: [
      {
        request: get("/text", { "x-tenant": "a" }),
        status: 200,
        xCache: "MISS",
        body: "hello 1",
        headers: { vary: /x-tenant/i },
      },
      { request: get("/text", { "x-tenant": "b" }), status: 200, xCache: "MISS", body: "hello 2" },
      { request: get("/text", { "x-tenant": "a" }), status: 200, xCache: "HIT", body: "hello 1" },
      { request: "/text", status: 200, xCache: "MISS", body: "hello 3" },
    ],
  },
  {
    name: "cannot be poisoned through unkeyed headers such as X-Forwarded-Host or X-Original-URL",
    steps: [
      {
        request: get("/host", { "x-forwarded-host": "evil.example" }),
        status: 200,
        xCache: "MISS",
        body: "links to evil.example 1",
      },
      { request: "/host", status: 200, xCache: "MISS", body: "links to self 2" },
      { request: "/host", status: 200, xCache: "HIT", body: "links to self 2" },
      {
        request: get("/host", { "x-original-url": "/admin" }),
        status: 200,
        xCache: "MISS",
        body: "links to self 3",
      },
      {
        request: get("/host", { "x-forwarded-host": "evil.example" }),
        status: 200,
        xCache: "HIT",
        body: "links to evil.example 1",
      },
    ],
  },
  {
    name: "gives no client a way to bypass or purge the cache with request headers",
    steps: [
      { request: "/modules", status: 200, xCache: "MISS" },
      {
        request: get("/modules", { "cache-control": "no-cache, no-store, max-age=0", pragma: "no-cache" }),
        status: 200,
        xCache: "HIT",
      },
      {
        request: get("/modules", { "x-cache": "BYPASS", "x-purge": "1" }),
        status: 200,
        xCache: "HIT",
        calls: { "/modules": 1 },
      },
    ],
  },
  {
    name: "replays no per-request header: every response carries its own request id",
    steps: [
      { request: "/modules", status: 200, xCache: "MISS", headers: { "x-request-id": "r1" } },
      { request: "/modules", status: 200, xCache: "HIT", headers: { "x-request-id": "r2" } },
    ],
  },
  {
    name: "drops a URL's stored GET after a successful POST, PUT, PATCH or DELETE to it",
    steps: [
      { request: "/modules", status: 200, xCache: "MISS" },
      { request: "/modules", status: 200, xCache: "HIT" },
      { request: { method: "POST", path: "/modules" }, status: 201, xCache: null },
      { request: "/modules", status: 200, xCache: "MISS", body: /"n":3/ },
      { request: { method: "PATCH", path: "/modules" }, status: 201 },
      { request: "/modules", status: 200, xCache: "MISS", body: /"n":5/ },
      { request: { method: "DELETE", path: "/modules" }, status: 201 },
      { request: "/modules", status: 200, xCache: "MISS", body: /"n":7/ },
      { request: { method: "PUT", path: "/modules" }, status: 201 },
      { request: "/modules", status: 200, xCache: "MISS", body: /"n":9/ },
    ],
  },
  {
    name: "keeps the stored GET when the write fails, and follows Location to the same origin",
    steps: [
      { request: "/tutorials", status: 200, xCache: "MISS" },
      { request: { method: "POST", path: "/fail" }, status: 500 },
      { request: "/tutorials", status: 200, xCache: "HIT" },
      {
        request: { method: "POST", path: "/drafts", headers: { "x-location": "/tutorials?created=1" } },
        status: 201,
      },
      { request: "/tutorials", status: 200, xCache: "MISS", calls: { "/tutorials": 2 } },
      {
        request: {
          method: "POST",
          path: "/drafts",
          headers: { "x-location": "https://elsewhere.example/tutorials" },
        },
        status: 201,
      },
      { request: "/tutorials", status: 200, xCache: "HIT" },
    ],
  },
  {
    name: "invalidates by path pattern, with every query, user and variant of the path",
    steps: [
      { request: "/modules", status: 200, xCache: "MISS" },
      { request: "/modules/intro?x=1", status: 200, xCache: "MISS" },
      { request: "/tutorials", status: 200, xCache: "MISS" },
      {
        request: "/modules",
        before: (cache) => invalidateCache("/modules*", { cache }),
        status: 200,
        xCache: "MISS",
      },
      { request: "/modules/intro?x=1", status: 200, xCache: "MISS" },
      { request: "/tutorials", status: 200, xCache: "HIT" },
      {
        request: "/tutorials",
        before: (cache) => invalidateCache("/tutorials", { cache }),
        status: 200,
        xCache: "MISS",
      },
    ],
  },
  {
    name: "invalidates by tag",
    options: { ttl: 60, tags: ["modules"] },
    steps: [
      { request: "/modules", status: 200, xCache: "MISS" },
      {
        request: "/modules",
        before: (cache) => invalidateCacheTags(["other"], { cache }),
        status: 200,
        xCache: "HIT",
      },
      {
        request: "/modules",
        before: (cache) => invalidateCacheTags(["modules"], { cache }),
        status: 200,
        xCache: "MISS",
      },
    ],
  },
  {
    name: "serves a stale response when the handler fails within staleTtl (stale-if-error)",
    options: { ttl: 10, staleTtl: 30 },
    steps: [
      { request: "/flaky", status: 200, xCache: "MISS", body: "flaky 1" },
      {
        request: "/flaky",
        advance: 11_000,
        status: 200,
        xCache: "STALE",
        body: "flaky 1",
        headers: { age: "11", "cache-status": /fwd=stale.*detail=stale-if-error/, "x-request-id": "r2" },
      },
      { request: "/flaky", status: 200, xCache: "MISS", body: "flaky 3" },
      { request: "/flaky", advance: 45_000, status: 500 },
      { request: "/flaky", status: 200, xCache: "MISS", body: "flaky 5", calls: { "/flaky": 5 } },
    ],
  },
  {
    name: "answers HEAD from the stored GET without a body, and does not store a HEAD miss",
    steps: [
      { request: { method: "HEAD", path: "/text" }, status: 200, xCache: "MISS", body: "" },
      { request: "/text", status: 200, xCache: "MISS", body: "hello 2" },
      {
        request: { method: "HEAD", path: "/text" },
        status: 200,
        xCache: "HIT",
        body: "",
        headers: { "content-length": "7" },
      },
    ],
  },
  {
    name: "keys on keyGenerator in place of the path",
    options: { ttl: 60, keyHeader: "x-key" },
    steps: [
      { request: get("/text", { "x-key": "greeting" }), status: 200, xCache: "MISS", body: "hello 1" },
      { request: get("/text?page=2", { "x-key": "greeting" }), status: 200, xCache: "HIT", body: "hello 1" },
      { request: get("/text", { "x-key": "greeting" }), status: 200, xCache: "HIT" },
      {
        request: get("/text", { "x-key": "greeting" }),
        before: (cache) => invalidateCache("greet*", { cache }),
        status: 200,
        xCache: "MISS",
      },
    ],
  },
  {
    name: "writes Cache-Control for CDNs when asked",
    options: { ttl: 3600, staleTtl: 60, cacheControl: true },
    steps: [
      {
        request: "/text",
        status: 200,
        xCache: "MISS",
        headers: { "cache-control": "public, max-age=3600, s-maxage=3600, stale-while-revalidate=60" },
      },
      {
        request: "/text",
        status: 200,
        xCache: "HIT",
        headers: { "cache-control": "public, max-age=3600, s-maxage=3600, stale-while-revalidate=60" },
      },
    ],
  },
  {
    name: "writes private Cache-Control on per-user routes",
    options: { ttl: 300, private: true, cacheControl: { maxAge: 60 } },
    steps: [
      {
        request: as("alice"),
        status: 200,
        xCache: "MISS",
        headers: { "cache-control": "private, max-age=60" },
      },
    ],
  },
  // HTTP mode: freshness from the response, as a shared cache in front of an origin.
  {
    name: "HTTP mode: takes freshness from max-age, s-maxage and Expires, and computes Age",
    options: { mode: "http" },
    steps: [
      {
        request: "/origin",
        origin: { headers: { "cache-control": "max-age=60" } },
        status: 200,
        xCache: "MISS",
        headers: { age: "0" },
      },
      {
        request: "/origin",
        advance: 30_000,
        status: 200,
        xCache: "HIT",
        headers: { age: "30", "cache-status": "keel; hit; ttl=30" },
      },
      { request: "/origin", advance: 31_000, status: 200, xCache: "MISS", calls: { "/origin": 2 } },
      {
        request: "/origin?s",
        origin: { headers: { "cache-control": "max-age=0, s-maxage=30" } },
        status: 200,
        xCache: "MISS",
      },
      { request: "/origin?s", advance: 20_000, status: 200, xCache: "HIT" },
      { request: "/origin?e", origin: { headers: { expires: "$in-60s" } }, status: 200, xCache: "MISS" },
      { request: "/origin?e", advance: 59_000, status: 200, xCache: "HIT" },
      { request: "/origin?e", advance: 2000, status: 200, xCache: "MISS" },
      { request: "/origin?bad", origin: { headers: { expires: "0" } }, status: 200, xCache: "MISS" },
      { request: "/origin?bad", status: 200, xCache: "MISS", calls: { "/origin": 7 } },
    ],
  },
  {
    name: "HTTP mode: counts the origin's Age and Date into the stored response's age",
    options: { mode: "http" },
    steps: [
      {
        request: "/origin",
        origin: { headers: { "cache-control": "max-age=60", age: "50" } },
        status: 200,
        xCache: "MISS",
        headers: { age: "50" },
      },
      { request: "/origin", advance: 5000, status: 200, xCache: "HIT", headers: { age: "55" } },
      { request: "/origin", advance: 6000, status: 200, xCache: "MISS" },
      {
        request: "/origin?d",
        origin: { headers: { "cache-control": "max-age=60", date: "$30s-ago" } },
        status: 200,
        headers: { age: "30" },
      },
    ],
  },
  {
    name: "HTTP mode: reuses nothing without freshness unless the heuristic is enabled, but keeps validators to revalidate",
    options: { mode: "http" },
    steps: [
      {
        request: "/origin",
        origin: { headers: {} },
        status: 200,
        xCache: "MISS",
        headers: { "cache-status": /detail=stale/ },
      },
      { request: "/origin", status: 200, xCache: "MISS", calls: { "/origin": 2 } },
      {
        request: "/origin?v",
        origin: { headers: { "last-modified": "$10d-ago" } },
        status: 200,
        xCache: "MISS",
        headers: { "cache-status": /fwd=uri-miss; fwd-status=200; ttl=0; stored/ },
      },
      {
        request: "/origin?v",
        status: 200,
        xCache: "MISS",
        headers: { "cache-status": /fwd=stale/ },
        calls: { "/origin": 4 },
      },
    ],
  },
  {
    name: "HTTP mode: heuristic freshness is a fraction of the time since Last-Modified",
    options: { mode: "http", heuristic: 0.1 },
    steps: [
      {
        request: "/origin",
        origin: { headers: { "last-modified": "$10d-ago" } },
        status: 200,
        xCache: "MISS",
      },
      { request: "/origin", advance: 86_000_000, status: 200, xCache: "HIT" },
      { request: "/origin", advance: 1_000_000, status: 200, xCache: "MISS" },
    ],
  },
  {
    name: "HTTP mode: refuses no-store, private, Set-Cookie and Vary: *",
    options: { mode: "http" },
    steps: [
      {
        request: "/origin",
        origin: { headers: { "cache-control": "max-age=60, no-store" } },
        status: 200,
        xCache: "MISS",
      },
      { request: "/origin", status: 200, xCache: "MISS" },
      {
        request: "/origin",
        origin: { headers: { "cache-control": "max-age=60, private" } },
        status: 200,
        xCache: "MISS",
      },
      { request: "/origin", status: 200, xCache: "MISS" },
      {
        request: "/origin",
        origin: { headers: { "cache-control": "max-age=60", "set-cookie": "a=1" } },
        status: 200,
        xCache: "MISS",
      },
      { request: "/origin", status: 200, xCache: "MISS" },
      {
        request: "/origin",
        origin: { headers: { "cache-control": "max-age=60", vary: "*" } },
        status: 200,
        xCache: "MISS",
      },
      { request: "/origin", status: 200, xCache: "MISS", calls: { "/origin": 8 } },
    ],
  },
  {
    name: "HTTP mode: revalidates no-cache responses with the origin's ETag and replays the body on a 304",
    options: { mode: "http" },
    steps: [
      {
        request: "/origin",
        origin: { headers: { "cache-control": "no-cache", etag: '"v1"' }, body: "version one", etag: '"v1"' },
        status: 200,
        xCache: "MISS",
        headers: { etag: '"v1"' },
      },
      {
        request: "/origin",
        status: 200,
        xCache: "MISS",
        body: "version one",
        headers: { "cache-status": "keel; fwd=stale; fwd-status=304; ttl=0; stored" },
      },
      { request: get("/origin", { "if-none-match": '"v1"' }), status: 304, body: "" },
      {
        request: "/origin",
        origin: { headers: { "cache-control": "no-cache", etag: '"v2"' }, body: "version two", etag: '"v2"' },
        status: 200,
        xCache: "MISS",
        body: "version two",
        calls: { "/origin": 4 },
      },
    ],
  },
  {
    name: "HTTP mode: stale-if-error unless must-revalidate",
    options: { mode: "http" },
    steps: [
      {
        request: "/origin",
        origin: { headers: { "cache-control": "max-age=1, stale-if-error=60" }, body: "good" },
        status: 200,
        xCache: "MISS",
      },
      {
        request: "/origin",
        advance: 2000,
        origin: { status: 500, headers: {}, body: "down" },
        status: 200,
        xCache: "STALE",
        body: "good",
      },
      {
        request: "/origin?r",
        origin: {
          status: 200,
          headers: { "cache-control": "max-age=1, must-revalidate, stale-if-error=60" },
          body: "good",
        },
        status: 200,
        xCache: "MISS",
      },
      {
        request: "/origin?r",
        advance: 2000,
        origin: { status: 500, headers: {}, body: "down" },
        status: 500,
        body: "down",
      },
    ],
  },
  {
    name: "HTTP mode: stores the answer to an Authorization request only as section 3.5 allows, and never serves one from it",
    options: { mode: "http" },
    steps: [
      {
        request: get("/origin", { authorization: "Basic YQ==" }),
        origin: { headers: { "cache-control": "max-age=60" } },
        status: 200,
        xCache: "MISS",
        headers: { "cache-status": /detail=authorization/ },
      },
      { request: "/origin", status: 200, xCache: "MISS" },
      {
        request: get("/origin?p", { authorization: "Basic YQ==" }),
        origin: { headers: { "cache-control": "public, max-age=60" } },
        status: 200,
        xCache: "MISS",
      },
      { request: "/origin?p", status: 200, xCache: "HIT" },
      {
        request: get("/origin?p", { authorization: "Basic Yg==" }),
        status: 200,
        xCache: "MISS",
        calls: { "/origin": 4 },
      },
    ],
  },
];

/** Replaces `$etag`, `$last-modified` (from the previous response) and clock-relative dates. */
function substitute(value: string, previous: AppResponse | undefined, now: number): string {
  return value
    .replace("$etag", previous?.headers.etag ?? "")
    .replace("$last-modified", previous?.headers["last-modified"] ?? "")
    .replace("$in-60s", new Date(now + 60_000).toUTCString())
    .replace("$30s-ago", new Date(now - 30_000).toUTCString())
    .replace("$10d-ago", new Date(now - 10 * 86_400_000).toUTCString());
}

/** A clock the test moves by hand. */
export function manualClock(start: number): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

export const T0 = Date.UTC(2030, 0, 1);

/** Starts `framework` with `options`, a cache on `store` (memory by default) and a manual clock. */
export async function startApp(
  framework: Framework,
  options: ScenarioOptions,
  setup: { store?: CacheStore; clock?: Clock & { advance(ms: number): void } } = {},
) {
  const clock = setup.clock ?? manualClock(T0);
  const cache = createCache({ clock, ...(setup.store === undefined ? {} : { store: setup.store }) });
  const backend = new Backend();
  const { keyHeader, ...rest } = options;
  const optionsFor: OptionsFor = <Req>(header: (req: Req, name: string) => string | undefined) => {
    const built: CacheMiddlewareOptions<Req> = { ...(rest as CacheMiddlewareOptions<Req>), cache, clock };
    return keyHeader === undefined
      ? built
      : { ...built, keyGenerator: (req: Req) => header(req, keyHeader) ?? "none" };
  };
  const app = await framework.start(optionsFor, backend);
  return { app, backend, cache, clock };
}

/** Polls `condition` every 5 ms, at most 1,000 times; fails the test when it never holds. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error("condition never held");
}

type Started = Awaited<ReturnType<typeof startApp>>;

async function runSteps({ app, backend, cache, clock }: Started, scenario: Scenario): Promise<void> {
  let previous: AppResponse | undefined;
  for (const [index, step] of scenario.steps.entries()) {
    if (step.advance !== undefined) clock.advance(step.advance);
    if (step.origin !== undefined) {
      const headers = Object.fromEntries(
        Object.entries(step.origin.headers ?? backend.origin.headers).map(([k, v]) => [
          k,
          substitute(v, previous, clock.now()),
        ]),
      );
      backend.origin = { ...backend.origin, ...step.origin, headers };
    }
    if (step.before !== undefined) await step.before(cache);
    const request = typeof step.request === "string" ? { path: step.request } : step.request;
    const headers = Object.fromEntries(
      Object.entries(request.headers ?? {}).map(([k, v]) => [k, substitute(v, previous, clock.now())]),
    );
    const response = await app.send({ ...request, headers });
    const where = `step ${index + 1}: ${request.method ?? "GET"} ${request.path}`;
    expect(response.status, where).toBe(step.status);
    if (step.xCache !== undefined) expect(response.headers["x-cache"], where).toBe(step.xCache ?? undefined);
    if (typeof step.body === "string") expect(response.body, where).toBe(step.body);
    if (step.body instanceof RegExp) expect(response.body, where).toMatch(step.body);
    for (const [name, expected] of Object.entries(step.headers ?? {})) {
      if (expected instanceof RegExp) expect(response.headers[name], `${where}: ${name}`).toMatch(expected);
      else expect(response.headers[name], `${where}: ${name}`).toBe(expected);
    }
    for (const [path, count] of Object.entries(step.calls ?? {})) {
      expect(backend.count(path), `${where}: handler runs of ${path}`).toBe(count);
    }
    previous = response;
  }
}

/**
 * Sends `count` concurrent requests for a gated path and lets the handler go only once every one
 * of them has read the store (and missed), so all of them are in flight together.
 */
async function concurrently(
  { app, backend, cache }: Started,
  path: string,
  count: number,
): Promise<AppResponse[]> {
  const entered = backend.close();
  const pending = Promise.all(Array.from({ length: count }, () => app.send({ path })));
  await entered;
  await until(async () => (await cache.getStats()).misses >= count);
  backend.release();
  return pending;
}

const hasRedis = await redisAvailable();

/** Scenarios also run through redisStore, on both clients: invalidation by pattern, tag and write. */
const REDIS_SCENARIOS = SCENARIOS.filter((scenario) =>
  /invalidat|drops a URL|stores a JSON|one entry per user|If-None-Match/.test(scenario.name),
);

/** Runs the table and the concurrency scenarios against one framework. */
export function runScenarios(framework: Framework): void {
  describe(`cacheMiddleware on ${framework.name}`, () => {
    const cleanup: (() => Promise<unknown>)[] = [];
    afterEach(async () => {
      for (const close of cleanup.splice(0)) await close();
    });
    async function start(options: ScenarioOptions, setup?: Parameters<typeof startApp>[2]): Promise<Started> {
      const started = await startApp(framework, options, setup);
      cleanup.push(
        () => started.app.close(),
        () => started.cache.close(),
      );
      return started;
    }

    for (const scenario of SCENARIOS) {
      it(scenario.name, async () => {
        await runSteps(await start(scenario.options ?? { ttl: 60 }), scenario);
      });
    }

    it("runs the handler once for 50 concurrent misses, each response with its own request id", async () => {
      const started = await start({ ttl: 60 });
      const responses = await concurrently(started, "/slow", 50);
      expect(started.backend.count("/slow")).toBe(1);
      expect(responses.map((r) => `${r.status} ${r.body}`)).toEqual(Array(50).fill("200 slow 1"));
      const collapsed = responses.filter((r) => r.headers["cache-status"]?.includes("collapsed"));
      expect(collapsed).toHaveLength(49);
      expect(collapsed.every((r) => r.headers["x-cache"] === "HIT")).toBe(true);
      expect(new Set(responses.map((r) => r.headers["x-request-id"])).size).toBe(50);
    });

    it("shares no response that sets a cookie: the waiters run the handler and keep their own cookies", async () => {
      const started = await start({ ttl: 60 });
      const responses = await concurrently(started, "/slow-cookie", 10);
      expect(started.backend.count("/slow-cookie")).toBe(10);
      const cookies = responses.map((r) => r.headers["set-cookie"]);
      expect(new Set(cookies).size).toBe(10);
      for (const response of responses) {
        expect(response.headers["set-cookie"]).toBe(`sid=${response.body.slice("slow ".length)}`);
        expect(response.headers["x-cache"]).toBe("MISS");
      }
    });

    it("stops waiting for another request after waitTimeout and runs the handler itself", async () => {
      const { app, backend } = await start({ ttl: 60, waitTimeout: 20 });
      const entered = backend.close();
      const first = app.send({ path: "/slow" });
      await entered;
      const second = app.send({ path: "/slow" });
      await until(() => backend.count("/slow") === 2);
      backend.release();
      expect((await first).body).toBe("slow 1");
      expect((await second).body).toBe("slow 2");
    });

    it("serves the stale response to others while one request refreshes it", async () => {
      const { app, backend, clock } = await start({ ttl: 10, staleTtl: 30 });
      expect((await app.send({ path: "/slow" })).body).toBe("slow 1");
      clock.advance(11_000);
      const entered = backend.close();
      const refresh = app.send({ path: "/slow" });
      await entered;
      const other = await app.send({ path: "/slow" });
      expect([other.headers["x-cache"], other.body, other.headers.age]).toEqual(["STALE", "slow 1", "11"]);
      backend.release();
      const refreshed = await refresh;
      expect([refreshed.headers["x-cache"], refreshed.body]).toEqual(["MISS", "slow 2"]);
      expect(refreshed.headers["cache-status"]).toMatch(/fwd=stale/);
      const after = await app.send({ path: "/slow" });
      expect([after.headers["x-cache"], after.body]).toEqual(["HIT", "slow 2"]);
    });

    it("gives each of 1,000 users on a per-user route only its own body", async () => {
      const { app, backend } = await start({ ttl: 300, private: true });
      const users = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
      const seen: { user: string; cache: string | undefined; body: { user: string; n: number } }[] = [];
      // Two rounds (the second in another order), 100 requests in flight at a time.
      for (const round of [users, [...users].reverse()]) {
        for (let i = 0; i < round.length; i += 100) {
          const batch = round.slice(i, i + 100);
          const responses = await Promise.all(batch.map((user) => app.send(as(user))));
          for (const [j, r] of responses.entries()) {
            seen.push({ user: batch[j] as string, cache: r.headers["x-cache"], body: JSON.parse(r.body) });
          }
        }
      }
      expect(backend.count("/progress")).toBe(1000);
      expect(seen.filter((s) => s.body.user !== s.user)).toEqual([]);
      expect(seen.filter((s) => s.cache === "HIT")).toHaveLength(1000);
      const firstBody = new Map<string, number>();
      for (const s of seen) {
        if (!firstBody.has(s.user)) firstBody.set(s.user, s.body.n);
        expect(s.body.n).toBe(firstBody.get(s.user));
      }
    }, 30_000);

    describe.skipIf(!hasRedis)("through redisStore", () => {
      for (const client of ["ioredis", "node-redis"] as ClientName[]) {
        for (const scenario of REDIS_SCENARIOS) {
          it(`${scenario.name} (${client})`, async () => {
            const redis: TestClient = await connectClient(client, REDIS_URL);
            const clock = manualClock(Date.now());
            const store = redisStore({ client: redis.client, prefix: uniquePrefix("http-cache"), clock });
            cleanup.push(async () => {
              await store.clear();
              await redis.close();
            });
            const started = await start(scenario.options ?? { ttl: 60 }, { store, clock });
            await runSteps(started, scenario);
          });
        }
      }

      it("answers a hit with exactly one Redis command, a GET", async () => {
        const redis = await connectClient("ioredis", REDIS_URL);
        const clock = manualClock(Date.now());
        const store = redisStore({ client: redis.client, prefix: uniquePrefix("http-cache"), clock });
        cleanup.push(async () => {
          await store.clear();
          await redis.close();
        });
        const { app } = await start({ ttl: 60 }, { store, clock });
        await app.send({ path: "/modules" });
        await until(() => redis.sent.some(([command]) => command === "SET" || command === "EVALSHA"));
        redis.sent.length = 0;
        const hit = await app.send({ path: "/modules" });
        expect(hit.headers["x-cache"]).toBe("HIT");
        expect(redis.sent.map(([command]) => command)).toEqual(["GET"]);
      });
    });
  });
}
