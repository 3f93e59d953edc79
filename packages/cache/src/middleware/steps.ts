// The contract between the response-cache core and the framework adapters: what to do with a
// request (a Step), and, when the handler runs, what to do with its response (an Exchange).
import type { RequestView } from "@keel/http";
import type { CapturedHttpResponse } from "./stored-response.js";

/** A request as the core sees it. */
export interface CacheRequest<Req> {
  readonly view: RequestView;
  /** The framework's request, for the `keyGenerator`, `tags` and `userId` callbacks. */
  readonly req: Req;
  /** Where authentication left the user, for `defaultUserId`. */
  readonly user: unknown;
  /** The URL's host when the transport has no Host header (Fetch). */
  readonly host?: string | undefined;
  /**
   * The names (lower case) of the request's headers, when the adapter has them at hand (Node's
   * `Object.keys(req.headers)`): headers absent from it are not looked up.
   */
  readonly headerNames?: readonly string[] | undefined;
}

/** Header pairs, names in lower case. */
export type HeaderPairs = readonly (readonly [string, string])[];

/** Not the cache's business (an OPTIONS request): run the handler untouched. */
export interface PassStep {
  readonly kind: "pass";
}

/** Answer now, without the handler: a hit, a stale hit, a shared response, or a 304. */
export interface ReplyStep {
  readonly kind: "reply";
  readonly status: number;
  /** Every header to send (the framework adds Content-Length). */
  readonly headers: HeaderPairs;
  /** The body (also for HEAD: the framework drops it but takes its length); `null` for a 304. */
  readonly body: Uint8Array | null;
}

/** Run the handler untouched but add these headers (X-Cache: BYPASS, a HEAD miss). */
export interface BypassStep {
  readonly kind: "bypass";
  readonly headers: HeaderPairs;
}

/** Run the handler, buffer its response and hand it to `exchange.settle`. */
export interface RunStep {
  readonly kind: "run";
  readonly exchange: Exchange;
}

/** What the core decided for a request. */
export type Step = PassStep | ReplyStep | BypassStep | RunStep;

/** The response to send in place of the captured one. */
export interface FinalResponse {
  readonly status: number;
  /** The complete header set, names in lower case, without framing (Content-Length, Transfer-Encoding). */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** The body; `null` for none (304). */
  readonly body: Uint8Array | null;
}

/** A handler run the cache takes part in. Call exactly one of settle, passThrough and fail. */
export interface Exchange {
  /** Buffer at most this many body bytes; past it, call `passThrough("too-large")` and stream. */
  readonly maxBodySize: number;
  /** Request headers to delete before the handler runs (the client's conditionals). */
  readonly removeRequestHeaders: readonly string[];
  /** Request headers to set before the handler runs (validators when revalidating). */
  readonly setRequestHeaders: HeaderPairs;
  /** The handler's whole response; resolves to what to send instead. */
  settle(captured: CapturedHttpResponse): Promise<FinalResponse>;
  /**
   * The response goes out as the handler writes it (too large, streaming, aborted, or an adapter
   * that cannot buffer it): nothing is stored. Returns headers to add if the head is not yet sent.
   */
  passThrough(reason: "too-large" | "streaming" | "aborted", status: number): HeaderPairs;
  /** The handler threw: a stale response to send instead (stale-if-error), or `undefined` to rethrow. */
  fail(error: unknown): FinalResponse | undefined;
}
