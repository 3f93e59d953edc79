// Internal: the one set of wrappers installed on a ServerResponse, shared by beforeNodeHead,
// observeNodeResponse and captureNodeBody, so that several of them on one response never wrap
// writeHead/write/end more than once. Each wrapper is installed only when something needs it.
//
// Node sends the head from writeHead() only: write(), end() and flushHeaders() without an
// explicit head all go through res._implicitHeader(), which calls this.writeHead(statusCode), so
// wrapping writeHead on the instance catches every way a head is sent.
import type { OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { HttpError } from "./errors.js";

/** Receives each body chunk Node accepts for sending: strings with their encoding, or bytes. */
export type ChunkListener = (chunk: string | Uint8Array, encoding: BufferEncoding) => void;

interface Tap {
  readonly headHooks: ((res: ServerResponse) => void)[];
  /** How many of headHooks have run; each runs once, even when an earlier attempt failed. */
  headHooksRun: number;
  readonly chunkListeners: Set<ChunkListener>;
  /** Whether writeHead is wrapped. */
  head: boolean;
  /** Whether write and end are wrapped. */
  chunks: boolean;
}

const taps = new WeakMap<ServerResponse, Tap>();

/** Node's rule (ServerResponse and writeHead): these responses carry no body, whatever is written. */
function bodyAllowed(res: ServerResponse): boolean {
  const status = res.statusCode;
  return res.req?.method !== "HEAD" && status !== 204 && status !== 304 && (status < 100 || status > 199);
}

/** What Node's writeHead does with its headers argument when headers were already set. */
function applyHeaderArgument(res: ServerResponse, headers: OutgoingHttpHeaders | OutgoingHttpHeader[]): void {
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i += 2) res.removeHeader(String(headers[i]));
    for (let i = 0; i < headers.length; i += 2) {
      if (headers[i]) res.appendHeader(String(headers[i]), headers[i + 1] as string | readonly string[]);
    }
    return;
  }
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (name && value !== undefined) res.setHeader(name, value);
  }
}

function runHeadHooks(tap: Tap, res: ServerResponse): void {
  // By index: a hook may register another one, which then runs in turn.
  while (tap.headHooksRun < tap.headHooks.length) {
    const hook = tap.headHooks[tap.headHooksRun++]!;
    try {
      hook(res);
    } catch (cause) {
      // Not rethrown: throwing out of the implicit head of end(chunk) leaves Node's response
      // half-updated (a stale Content-Length), so the head goes out and the error is emitted.
      process.emitWarning(
        new HttpError(
          "ERR_KEEL_HTTP_HEAD_HOOK",
          `a beforeNodeHead hook threw, so the response head went out without its changes: ${String(cause)}`,
          { cause },
        ),
      );
    }
  }
}

function notify(tap: Tap, res: ServerResponse, chunk: unknown, encoding: unknown): void {
  if (tap.chunkListeners.size === 0 || !bodyAllowed(res)) return;
  if (typeof chunk !== "string" && !(chunk instanceof Uint8Array)) return;
  if (chunk.length === 0) return;
  const enc = typeof encoding === "string" && Buffer.isEncoding(encoding) ? encoding : "utf8";
  for (const listener of tap.chunkListeners) listener(chunk, enc);
}

/** The response's tap (no wrappers yet: {@link tapHead} and {@link tapChunks} install them). */
function tapOf(res: ServerResponse): Tap {
  let tap = taps.get(res);
  if (tap === undefined) {
    tap = { headHooks: [], headHooksRun: 0, chunkListeners: new Set(), head: false, chunks: false };
    taps.set(res, tap);
  }
  return tap;
}

/**
 * The response's tap with writeHead wrapped (once), for head hooks. Each own-property wrapper on a
 * response costs measurable CPU on every request (Express responses most: their prototype was
 * swapped), so writeHead is wrapped only by callers that need the head, write/end only by
 * {@link tapChunks}.
 */
export function tapHead(res: ServerResponse): Tap {
  const tap = tapOf(res);
  if (tap.head) return tap;
  tap.head = true;
  const writeHead = res.writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse;
  res.writeHead = function (this: ServerResponse, statusCode: number, arg1?: unknown, arg2?: unknown) {
    if (this.headersSent) return writeHead.call(this, statusCode, arg1, arg2);
    const reason = typeof arg1 === "string" ? arg1 : undefined;
    const headers = (reason === undefined ? arg1 : arg2) as
      | OutgoingHttpHeaders
      | OutgoingHttpHeader[]
      | undefined;
    // Applied first so hooks (and getHeaders(), later) see them; Node would merge them the same way.
    if (headers) applyHeaderArgument(this, headers);
    if (tap.headHooksRun < tap.headHooks.length) {
      if (Number.isInteger(statusCode) && statusCode >= 100 && statusCode <= 999)
        this.statusCode = statusCode;
      runHeadHooks(tap, this);
    }
    return reason === undefined ? writeHead.call(this, statusCode) : writeHead.call(this, statusCode, reason);
  } as ServerResponse["writeHead"];
  return tap;
}

/** The response's tap with write/end wrapped (once), for chunk listeners. */
export function tapChunks(res: ServerResponse): Tap {
  const tap = tapOf(res);
  if (tap.chunks) return tap;
  tap.chunks = true;
  const { write, end } = res;

  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    const open = !this.writableEnded && !this.destroyed;
    const result = Reflect.apply(write, this, [chunk, ...rest]) as boolean;
    if (open) notify(tap, this, chunk, rest[0]);
    return result;
  } as ServerResponse["write"];

  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    const open = !this.writableEnded && !this.destroyed;
    const result = Reflect.apply(end, this, [chunk, ...rest]) as ServerResponse;
    // 'finish' is emitted asynchronously, so listeners hear the last chunk before it.
    if (open && typeof chunk !== "function") notify(tap, this, chunk, rest[0]);
    return result;
  } as ServerResponse["end"];

  return tap;
}

/**
 * Calls `done` once: on 'finish' (aborted: false), or on 'close' before the response finished
 * (aborted: true). A response that is already over is reported on the next tick.
 */
export function onResponseDone(res: ServerResponse, done: (aborted: boolean) => void): void {
  let called = false;
  const report = (aborted: boolean): void => {
    if (called) return;
    called = true;
    res.off("finish", onFinish);
    res.off("close", onClose);
    done(aborted);
  };
  const onFinish = (): void => report(false);
  const onClose = (): void => report(!res.writableFinished);
  if (res.writableFinished || res.destroyed) {
    process.nextTick(report, !res.writableFinished);
    return;
  }
  res.once("finish", onFinish);
  res.once("close", onClose);
}
