// A handler run the cache takes part in: a GET whose response may be stored (and shared with the
// requests waiting for it), or an unsafe request whose success invalidates the URL's stored GET.

import { parseCacheControl } from "./cache-control.js";
import { pathTag } from "./cache-key.js";
import { type CacheStatus, cacheHeaders, type XCache } from "./cache-status.js";
import { type Conditionals, NOT_MODIFIED_HEADERS, notModified } from "./conditional.js";
import type { Flight, FlightResult } from "./flights.js";
import { canRevalidate, mayServeStale } from "./freshness.js";
import { parseHttpDate } from "./http-date.js";
import { conditionalsOf, replyFrom, varyValuesOf } from "./replies.js";
import type { ResponseCache } from "./response-cache.js";
import type { CacheRequest, Exchange, FinalResponse, HeaderPairs, ReplyStep } from "./steps.js";
import { whyNotStored } from "./storability.js";
import {
  type CapturedHttpResponse,
  currentAge,
  fieldNames,
  type HttpCacheEntry,
  headerText,
  type StoredResponse,
} from "./stored-response.js";
import { freshnessOf, mergeNotModified, nextEntry, type StoreContext, storedFrom } from "./storing.js";

const noop = (): void => {};
const CONDITIONALS = ["if-none-match", "if-modified-since"] as const;

/** Everything `begin` learned about a GET that runs the handler. */
export interface StoringRun<Req> {
  readonly request: CacheRequest<Req>;
  readonly key: string;
  /** The entry read for the key, if any (its other variants are kept). */
  readonly entry: HttpCacheEntry | undefined;
  /** The stored response this run refreshes or revalidates, if any. */
  readonly stale: StoredResponse | undefined;
  /** The flight this run leads, when it leads one. */
  readonly flight: Flight | undefined;
  readonly tags: readonly string[];
  readonly fwd: "uri-miss" | "vary-miss" | "stale";
  /** HTTP mode, a request with Authorization: stored only as RFC 9111 section 3.5 allows. */
  readonly authorization: boolean;
}

/** The captured response as it is, without framing headers (the adapter sets those). */
function unframed(captured: CapturedHttpResponse): Record<string, string | readonly string[]> {
  const headers: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(captured.headers)) {
    if (name !== "content-length" && name !== "transfer-encoding") headers[name] = value;
  }
  return headers;
}

/** A reply turned into a final response, keeping the headers set before the handler ran. */
function finalFromReply(reply: ReplyStep, captured: CapturedHttpResponse | undefined): FinalResponse {
  const headers: Record<string, string | readonly string[]> = {};
  for (const name of captured?.preset ?? []) {
    const value = captured?.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  for (const [name, value] of reply.headers) headers[name] = value;
  return { status: reply.status, headers, body: reply.body };
}

/** A GET miss, refresh or revalidation whose response may be stored and shared. */
export class StoringExchange<Req> implements Exchange {
  readonly maxBodySize: number;
  readonly removeRequestHeaders: readonly string[] = CONDITIONALS;
  readonly setRequestHeaders: HeaderPairs;
  readonly #owner: ResponseCache<Req>;
  readonly #run: StoringRun<Req>;
  readonly #conditionals: Conditionals;
  readonly #requestTime: number;
  #done = false;

  constructor(owner: ResponseCache<Req>, run: StoringRun<Req>) {
    this.#owner = owner;
    this.#run = run;
    this.maxBodySize = owner.options.maxBodySize;
    const { view } = run.request;
    // Read now: the adapter removes them from the request before the handler runs.
    this.#conditionals = conditionalsOf(view);
    this.#requestTime = owner.options.clock.now();
    const validators: [string, string][] = [];
    const stale = run.stale;
    if (stale !== undefined && canRevalidate(stale)) {
      if (stale.originEtag !== undefined) validators.push(["if-none-match", stale.originEtag]);
      if (stale.originLastModified !== undefined)
        validators.push(["if-modified-since", stale.originLastModified]);
    }
    this.setRequestHeaders = validators;
  }

  async settle(captured: CapturedHttpResponse): Promise<FinalResponse> {
    if (this.#done) return { status: captured.status, headers: unframed(captured), body: captured.body };
    this.#done = true;
    try {
      const now = this.#owner.options.clock.now();
      const stale = this.#run.stale;
      if (stale !== undefined && this.setRequestHeaders.length > 0 && captured.status === 304) {
        return await this.#store(mergeNotModified(stale, captured), now, 304);
      }
      if (stale !== undefined && captured.status >= 500 && this.#staleIfError(stale, now)) {
        return finalFromReply(this.#serveStale(stale, captured.status, now), captured);
      }
      return await this.#store(captured, now, captured.status);
    } catch (error) {
      this.#release(undefined);
      throw error;
    }
  }

  passThrough(reason: "too-large" | "streaming" | "aborted", status: number): HeaderPairs {
    if (this.#done) return [];
    this.#done = true;
    this.#release(undefined);
    return cacheHeaders("MISS", { fwd: this.#run.fwd, fwdStatus: status, detail: reason }, undefined);
  }

  fail(_error: unknown): FinalResponse | undefined {
    if (this.#done) return undefined;
    this.#done = true;
    const stale = this.#run.stale;
    const now = this.#owner.options.clock.now();
    if (stale !== undefined && this.#staleIfError(stale, now))
      return finalFromReply(this.#serveStale(stale, undefined, now), undefined);
    this.#release(undefined);
    return undefined;
  }

  #staleIfError(stale: StoredResponse, now: number): boolean {
    return mayServeStale(stale) && currentAge(stale, now) - stale.lifetime < stale.staleIfError;
  }

  #serveStale(stale: StoredResponse, fwdStatus: number | undefined, now: number): ReplyStep {
    this.#release(undefined);
    const age = currentAge(stale, now);
    const status: CacheStatus = {
      fwd: "stale",
      ...(fwdStatus === undefined ? {} : { fwdStatus }),
      ttl: stale.lifetime - age,
      detail: "stale-if-error",
    };
    return replyFrom(stale, age, "STALE", status, this.#conditionals);
  }

  async #store(captured: CapturedHttpResponse, now: number, fwdStatus: number): Promise<FinalResponse> {
    const o = this.#owner.options;
    const run = this.#run;
    const { view } = run.request;
    const directives = parseCacheControl(headerText(captured.headers["cache-control"]));
    const varyNames = fieldNames(headerText(captured.headers.vary)).filter((name) => !o.vary.includes(name));
    const context: StoreContext = {
      http: o.http,
      ttl: o.ttl,
      staleTtl: o.staleTtl,
      heuristic: o.heuristic,
      cacheControl: o.cacheControl,
      declaredVary: o.vary,
      requestTime: this.#requestTime,
      now,
      varyValues: varyValuesOf(varyNames, view),
    };
    const freshness = freshnessOf(captured, directives, context);
    const revalidatable =
      o.http && (captured.headers.etag !== undefined || captured.headers["last-modified"] !== undefined);
    const policy = {
      http: o.http,
      private: o.private,
      statuses: o.statuses,
      authorization: run.authorization,
    };
    let reason = whyNotStored(captured, directives, policy, freshness, revalidatable);
    const stored = reason === undefined ? await storedFrom(captured, freshness, context) : undefined;
    const next = stored === undefined ? undefined : nextEntry(run.entry, varyNames, stored, now, o.http);
    if (reason === undefined && next === undefined) reason = "stale";
    if (reason === undefined && run.flight?.cancelled === true) reason = "invalidated";
    if (stored === undefined || next === undefined || reason !== undefined) {
      this.#release(undefined);
      return this.#final(
        captured,
        [],
        "MISS",
        { fwd: run.fwd, fwdStatus, detail: reason ?? "stale" },
        undefined,
      );
    }
    const flight = run.flight;
    const end = (): void => {
      if (flight !== undefined) this.#owner.flights.end(flight);
    };
    this.#owner.cache.set(run.key, next.entry, { ttl: next.ttl, tags: run.tags }).then(end, end).catch(noop);
    flight?.resolve({ vary: varyNames, stored } satisfies FlightResult);
    const status: CacheStatus = {
      fwd: run.fwd,
      fwdStatus,
      stored: true,
      ttl: stored.lifetime - stored.initialAge,
    };
    return this.#final(captured, stored.headers, "MISS", status, stored.initialAge);
  }

  #release(result: FlightResult | undefined): void {
    const flight = this.#run.flight;
    if (flight === undefined) return;
    flight.resolve(result);
    this.#owner.flights.end(flight);
  }

  /** The handler's response with the cache's headers; a 304 when the client's copy is current. */
  #final(
    captured: CapturedHttpResponse,
    overrides: HeaderPairs,
    xCache: XCache,
    status: CacheStatus,
    age: number | undefined,
  ): FinalResponse {
    const headers = unframed(captured);
    for (const [name, value] of overrides) headers[name] = value;
    const own = cacheHeaders(xCache, status, age);
    for (const [name, value] of own) headers[name] = value;
    const conditionals = this.#conditionals;
    const conditional = conditionals.ifNoneMatch !== undefined || conditionals.ifModifiedSince !== undefined;
    const success = captured.status >= 200 && captured.status <= 299;
    const validators = {
      etag: headerText(headers.etag),
      lastModified: parseHttpDate(headerText(headers["last-modified"])),
    };
    if (!(conditional && success && notModified(conditionals, validators))) {
      return { status: captured.status, headers, body: captured.body };
    }
    const keep = new Set([...(captured.preset ?? []), ...NOT_MODIFIED_HEADERS, "set-cookie"]);
    for (const [name] of own) keep.add(name);
    const kept: Record<string, string | readonly string[]> = {};
    for (const [name, value] of Object.entries(headers)) if (keep.has(name)) kept[name] = value;
    return { status: 304, headers: kept, body: null };
  }
}

/** A POST, PUT, PATCH or DELETE: on success, the stored GET of its URL goes (RFC 9111 section 4.4). */
export class InvalidatingExchange<Req> implements Exchange {
  readonly maxBodySize: number;
  readonly removeRequestHeaders: readonly string[] = [];
  readonly setRequestHeaders: HeaderPairs = [];
  readonly #owner: ResponseCache<Req>;
  readonly #request: CacheRequest<Req>;

  constructor(owner: ResponseCache<Req>, request: CacheRequest<Req>) {
    this.#owner = owner;
    this.#request = request;
    this.maxBodySize = owner.options.maxBodySize;
  }

  async settle(captured: CapturedHttpResponse): Promise<FinalResponse> {
    if (captured.status < 400) await this.#invalidate(captured);
    return { status: captured.status, headers: unframed(captured), body: captured.body };
  }

  passThrough(_reason: string, status: number): HeaderPairs {
    if (status < 400) void this.#invalidate(undefined);
    return [];
  }

  fail(): undefined {
    return undefined;
  }

  /** The request's path, and those of same-origin Location and Content-Location. */
  #invalidate(captured: CapturedHttpResponse | undefined): Promise<unknown> {
    const { view } = this.#request;
    const paths = new Set([view.path]);
    const host = this.#request.host ?? view.header("host");
    for (const name of ["location", "content-location"]) {
      const value = headerText(captured?.headers[name]);
      const path = value === undefined ? undefined : sameOriginPath(value, host);
      if (path !== undefined) paths.add(path);
    }
    return this.#owner.cache.invalidateTags([...paths].map(pathTag)).catch(noop);
  }
}

/** The path of a Location-like URI when it points at the request's own host (RFC 9111 section 4.4). */
export function sameOriginPath(uri: string, host: string | undefined): string | undefined {
  if (uri.startsWith("/") && !uri.startsWith("//")) return uri.split(/[?#]/, 1)[0];
  if (host === undefined) return undefined;
  try {
    const url = new URL(uri);
    return url.host.toLowerCase() === host.toLowerCase() ? url.pathname : undefined;
  } catch {
    return undefined;
  }
}
