// The framework-free response cache: for each request, decide from one store read whether to
// answer it (hit, stale, 304, a response shared by a concurrent request) or to run the handler,
// and how that run takes part in the cache (store its response, invalidate the URL, or neither).
import { defaultUserId } from "@keel/http";
import { getNow } from "../cache.js";
import type { Cache } from "../cache-api.js";
import { CacheError, describeValue } from "../errors.js";
import {
  forwardedUrlParts,
  HAS_AUTHORIZATION,
  HAS_CONDITIONAL,
  HAS_COOKIE,
  HAS_KEY_HEADER,
  headersPresent,
  hostPart,
  IMPLICIT_KEY_HEADERS,
  KEY_PREFIX,
  keyPart,
  normalizeQuery,
  pathTag,
} from "./cache-key.js";
import { type CacheStatus, cacheHeaders, type XCache } from "./cache-status.js";
import type { Conditionals } from "./conditional.js";
import { InvalidatingExchange, StoringExchange, type StoringRun } from "./exchange.js";
import { type Flight, Flights } from "./flights.js";
import { mayServeStale } from "./freshness.js";
import {
  type CacheMiddlewareOptions,
  type ResolvedMiddlewareOptions,
  resolveMiddlewareOptions,
} from "./options.js";
import {
  conditionalsOf,
  NO_CONDITIONALS,
  replyFrom,
  sameValues,
  selectVariant,
  varyValuesOf,
} from "./replies.js";
import type { BypassStep, CacheRequest, PassStep, Step } from "./steps.js";
import { currentAge, type HttpCacheEntry, isHttpCacheEntry, type StoredResponse } from "./stored-response.js";

const PASS: PassStep = { kind: "pass" };
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function bypass(fwd: NonNullable<CacheStatus["fwd"]>, detail: string, xCache: XCache): BypassStep {
  return { kind: "bypass", headers: cacheHeaders(xCache, { fwd, detail }, undefined) };
}

/**
 * The response cache behind every adapter's `cacheMiddleware`: options checked once, then one
 * {@link ResponseCache.begin} per request.
 */
export class ResponseCache<Req> {
  readonly options: ResolvedMiddlewareOptions<Req>;
  readonly flights = new Flights();
  #cache: Cache | undefined;

  constructor(argument: number | CacheMiddlewareOptions<Req>) {
    this.options = resolveMiddlewareOptions(argument);
  }

  /** The cache in use (the shared default one is created on first use). */
  get cache(): Cache {
    if (this.#cache === undefined) {
      this.#cache = this.options.cache();
      this.#cache.events.on("delete", (event) => this.flights.invalidated(event));
    }
    return this.#cache;
  }

  /**
   * Decides what to do with a request; may wait (bounded) for a concurrent request of its key.
   * Synchronous (no promise) when the cache's store is in-process and no wait is needed: a hit
   * on a memory store then costs no microtask.
   */
  begin(request: CacheRequest<Req>): Step | Promise<Step> {
    const { view } = request;
    const method = view.method;
    if (method !== "GET" && method !== "HEAD") {
      return UNSAFE.has(method) ? { kind: "run", exchange: new InvalidatingExchange(this, request) } : PASS;
    }
    const o = this.options;
    const has = headersPresent(request.headerNames);
    let user: string | undefined;
    let authorization = false;
    if (o.private) {
      user = o.userId === undefined ? defaultUserId(request.user) : o.userId(request.req);
      if (user === undefined) return bypass("bypass", "anonymous", "BYPASS");
    } else {
      authorization = (has & HAS_AUTHORIZATION) !== 0 && view.header("authorization") !== undefined;
      if (authorization && !o.http) return bypass("bypass", "authorization", "BYPASS");
      if ((has & HAS_COOKIE) !== 0 && this.#hasSessionCookie(view.header("cookie")))
        return bypass("bypass", "session-cookie", "BYPASS");
    }
    const key = this.#key(request, user, (has & HAS_KEY_HEADER) !== 0);
    const conditionals = (has & HAS_CONDITIONAL) !== 0 ? conditionalsOf(view) : NO_CONDITIONALS;
    const cache = this.cache as Cache & { [getNow]?: (key: string) => unknown };
    const value = cache[getNow] !== undefined ? cache[getNow](key) : cache.get(key);
    if (value instanceof Promise) {
      return value.then((read: unknown) => this.#decide(request, key, authorization, conditionals, read));
    }
    return this.#decide(request, key, authorization, conditionals, value);
  }

  #decide(
    request: CacheRequest<Req>,
    key: string,
    authorization: boolean,
    conditionals: Conditionals,
    value: unknown,
  ): Step | Promise<Step> {
    const { view } = request;
    const method = view.method;
    const o = this.options;
    const entry = isHttpCacheEntry(value) ? value : undefined;
    // Authorization (HTTP mode) is never answered from a shared entry; its response may be stored.
    const stored = entry === undefined || authorization ? undefined : selectVariant(entry, view);
    if (stored !== undefined) {
      const age = currentAge(stored, o.clock.now());
      const ttl = stored.lifetime - age;
      if (ttl > 0 && !stored.noCache) return replyFrom(stored, age, "HIT", { hit: true, ttl }, conditionals);
      if (
        mayServeStale(stored) &&
        -ttl < stored.staleWhileRevalidate &&
        this.flights.get(key) !== undefined
      ) {
        return replyFrom(stored, age, "STALE", { hit: true, ttl }, conditionals);
      }
    }
    if (method === "HEAD") return bypass("method", "head", "MISS");
    const fwd = stored !== undefined ? "stale" : entry !== undefined ? "vary-miss" : "uri-miss";
    const tags = this.#tags(request);
    if (!authorization) {
      const running = this.flights.get(key);
      if (running !== undefined && o.waitTimeout > 0) {
        return running.wait(o.waitTimeout).then((shared) => {
          if (shared !== undefined && sameValues(shared.stored.varyValues, varyValuesOf(shared.vary, view))) {
            const age = currentAge(shared.stored, o.clock.now());
            const status: CacheStatus = {
              fwd,
              collapsed: true,
              stored: true,
              ttl: shared.stored.lifetime - age,
            };
            return replyFrom(shared.stored, age, "HIT", status, conditionals);
          }
          return this.#run(request, key, entry, stored, tags, fwd, authorization);
        });
      }
    }
    return this.#run(request, key, entry, stored, tags, fwd, authorization);
  }

  /** Runs the handler for a request: as the key's flight, unless one is running or it is private. */
  #run(
    request: CacheRequest<Req>,
    key: string,
    entry: HttpCacheEntry | undefined,
    stored: StoredResponse | undefined,
    tags: readonly string[],
    fwd: StoringRun<Req>["fwd"],
    authorization: boolean,
  ): Step {
    let flight: Flight | undefined;
    if (!authorization && this.flights.get(key) === undefined) flight = this.flights.start(key, tags);
    const run: StoringRun<Req> = { request, key, entry, stale: stored, flight, tags, fwd, authorization };
    return { kind: "run", exchange: new StoringExchange(this, run) };
  }

  #hasSessionCookie(cookie: string | undefined): boolean {
    const isSession = this.options.sessionCookie;
    if (cookie === undefined || isSession === undefined) return false;
    for (const pair of cookie.split(";")) {
      const eq = pair.indexOf("=");
      const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
      if (name !== "" && isSession(name)) return true;
    }
    return false;
  }

  #key(request: CacheRequest<Req>, user: string | undefined, keyHeaders: boolean): string {
    const { view } = request;
    const o = this.options;
    let key: string;
    if (o.keyGenerator === undefined) key = `${KEY_PREFIX}${view.path} ?${normalizeQuery(view.query)}`;
    else {
      const custom = o.keyGenerator(request.req);
      if (typeof custom !== "string" || custom === "")
        throw new CacheError(
          "ERR_KEEL_CACHE_ARGUMENT",
          `cacheMiddleware: keyGenerator must return a non-empty string, got ${describeValue(custom)}`,
        );
      key = `${KEY_PREFIX}${custom} ?`;
    }
    const host = request.host ?? view.header("host");
    if (host !== undefined) key += hostPart(host);
    if (keyHeaders) {
      for (const name of IMPLICIT_KEY_HEADERS) {
        const value = view.header(name);
        if (value !== undefined) key += keyPart(name, value);
      }
      const forwarded = view.header("forwarded");
      if (forwarded !== undefined) key += keyPart("forwarded", forwardedUrlParts(forwarded));
    }
    for (const name of o.vary) {
      const value = view.header(name);
      key += value === undefined ? ` v:${name}!` : keyPart(`v:${name}`, value.trim());
    }
    if (user !== undefined) key += keyPart("u", user);
    return key;
  }

  #tags(request: CacheRequest<Req>): string[] {
    const tags = this.options.tags(request.req);
    if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === "string"))
      throw new CacheError(
        "ERR_KEEL_CACHE_ARGUMENT",
        `cacheMiddleware: tags must give an array of strings, got ${describeValue(tags)}`,
      );
    return [...tags, pathTag(request.view.path)];
  }
}
