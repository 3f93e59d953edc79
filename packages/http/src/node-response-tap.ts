// Internal: the one set of wrappers installed on a ServerResponse, shared by beforeNodeHead,
// observeNodeResponse and captureNodeBody, so that several of them on one response never wrap
// writeHead/write/end more than once. Each wrapper is installed only when something needs it.
//
// Node sends the head from writeHead() only: write(), end() and flushHeaders() without an
// explicit head all go through res._implicitHeader(), which calls this.writeHead(statusCode), so
// wrapping writeHead on the instance catches every way a head is sent.
//
// This runs on every request of every app using the packages, and in a loaded server each
// allocation costs several times its micro-benchmark price in GC. Adding an own property to an
// Express request or response is the dearest of all: their maps are not shared between requests,
// so every property added copies the object's whole map (about 2 KB, in old space). A WeakMap is
// worse here: a tap refers back to its response (through the hooks' closures), and keeping taps in
// a WeakMap, with writeHead wrapped once on Express's prototype instead, took 22 major GCs per
// 30,000 Express requests against 16-18 this way. So the per-response state
// (the tap) hangs on the writeHead wrapper every tap installs, the only property it adds to the
// response; lists are created only when used. If another library wraps writeHead over ours, a
// later caller starts a second tap: everything still runs once, but the second tap's head hooks run
// before the first's.
import type { OutgoingHttpHeader, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { HttpError } from "./errors.js";

/** Receives each body chunk Node accepts for sending: strings with their encoding, or bytes. */
export type ChunkListener = (chunk: string | Uint8Array, encoding: BufferEncoding) => void;

type HeadHook = (res: ServerResponse) => void;
type DoneCallback = (aborted: boolean) => void;
type WriteHead = (this: ServerResponse, ...args: unknown[]) => ServerResponse;
type Write = (this: ServerResponse, ...args: unknown[]) => boolean;
type End = (this: ServerResponse, ...args: unknown[]) => ServerResponse;

const TAP = Symbol("keel.http.responseTap");

class Tap {
  headHooks: HeadHook[] | undefined = undefined;
  /** How many of headHooks have run; each runs once, even when an earlier attempt failed. */
  headHooksRun = 0;
  chunkListeners: ChunkListener[] | undefined = undefined;
  /** The writeHead/write/end found on the response when wrapped (undefined: not wrapped yet). */
  writeHead: WriteHead | undefined = undefined;
  write: Write | undefined = undefined;
  end: End | undefined = undefined;

  addChunkListener(listener: ChunkListener): void {
    if (this.chunkListeners === undefined) this.chunkListeners = [listener];
    else this.chunkListeners.push(listener);
  }

  deleteChunkListener(listener: ChunkListener): void {
    const list = this.chunkListeners;
    const at = list === undefined ? -1 : list.indexOf(listener);
    if (at >= 0) list?.splice(at, 1);
  }
}

export type { Tap };

type TapWriteHead = WriteHead & { [TAP]?: Tap };

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

function runHeadHooks(hooks: HeadHook[], tap: Tap, res: ServerResponse): void {
  // By index: a hook may register another one, which then runs in turn.
  while (tap.headHooksRun < hooks.length) {
    const hook = hooks[tap.headHooksRun++] as HeadHook;
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

function notify(listeners: ChunkListener[], res: ServerResponse, chunk: unknown, encoding: unknown): void {
  if (listeners.length === 0 || !bodyAllowed(res)) return;
  if (typeof chunk !== "string" && !(chunk instanceof Uint8Array)) return;
  if (chunk.length === 0) return;
  const enc = typeof encoding === "string" && Buffer.isEncoding(encoding) ? encoding : "utf8";
  // A copy: a listener may remove itself.
  for (const listener of [...listeners]) listener(chunk, enc);
}

/** The response's tap: created on first use, with writeHead wrapped by a closure that carries it. */
function tapOf(res: ServerResponse): Tap {
  const found = (res.writeHead as TapWriteHead | undefined)?.[TAP];
  if (found !== undefined) return found;
  const tap = new Tap();
  const writeHead = res.writeHead as WriteHead;
  tap.writeHead = writeHead;
  const wrapper: TapWriteHead = function (
    this: ServerResponse,
    statusCode: unknown,
    arg1?: unknown,
    arg2?: unknown,
  ) {
    return tappedWriteHead.call(this, tap, statusCode as number, arg1, arg2);
  };
  wrapper[TAP] = tap;
  res.writeHead = wrapper as ServerResponse["writeHead"];
  return tap;
}

function tappedWriteHead(this: ServerResponse, tap: Tap, statusCode: number, arg1?: unknown, arg2?: unknown) {
  const writeHead = tap.writeHead as WriteHead;
  if (this.headersSent) return writeHead.call(this, statusCode, arg1, arg2);
  const reason = typeof arg1 === "string" ? arg1 : undefined;
  const headers = (reason === undefined ? arg1 : arg2) as
    | OutgoingHttpHeaders
    | OutgoingHttpHeader[]
    | undefined;
  // Applied first so hooks (and getHeaders(), later) see them; Node would merge them the same way.
  if (headers) applyHeaderArgument(this, headers);
  const hooks = tap.headHooks;
  if (hooks !== undefined && tap.headHooksRun < hooks.length) {
    if (Number.isInteger(statusCode) && statusCode >= 100 && statusCode <= 999) this.statusCode = statusCode;
    runHeadHooks(hooks, tap, this);
  }
  return reason === undefined ? writeHead.call(this, statusCode) : writeHead.call(this, statusCode, reason);
}

/** The response's tap (its writeHead wrapped, once), for head hooks. */
export function tapHead(res: ServerResponse): Tap {
  return tapOf(res);
}

/** Adds a hook run just before the head is sent (see beforeNodeHead). */
export function addHeadHook(res: ServerResponse, hook: HeadHook): void {
  const tap = tapHead(res);
  if (tap.headHooks === undefined) tap.headHooks = [hook];
  else tap.headHooks.push(hook);
}

/** The response's tap with write/end wrapped (once), for chunk listeners. */
export function tapChunks(res: ServerResponse): Tap {
  const tap = tapOf(res);
  if (tap.write !== undefined) return tap;
  const write = res.write as Write;
  const end = res.end as End;
  tap.write = write;
  tap.end = end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    const open = !this.writableEnded && !this.destroyed;
    const result = Reflect.apply(write, this, [chunk, ...rest]) as boolean;
    const listeners = tap.chunkListeners;
    if (open && listeners !== undefined) notify(listeners, this, chunk, rest[0]);
    return result;
  } as ServerResponse["write"];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    const open = !this.writableEnded && !this.destroyed;
    const result = Reflect.apply(end, this, [chunk, ...rest]) as ServerResponse;
    // 'finish' is emitted asynchronously, so listeners hear the last chunk before it.
    const listeners = tap.chunkListeners;
    if (open && listeners !== undefined && typeof chunk !== "function")
      notify(listeners, this, chunk, rest[0]);
    return result;
  } as ServerResponse["end"];
  return tap;
}

/**
 * Calls `done` once: on 'finish' (aborted: false), or on 'close' before the response finished
 * (aborted: true). A response that is already over is reported on the next tick. It wraps
 * nothing and adds no property to the response; the listeners are not removed, as 'close' always
 * comes last.
 */
export function onResponseDone(res: ServerResponse, done: DoneCallback): void {
  if (res.writableFinished || res.destroyed) {
    process.nextTick(done, !res.writableFinished);
    return;
  }
  let called = false;
  res.on("finish", () => {
    if (called) return;
    called = true;
    done(false);
  });
  res.on("close", () => {
    if (called) return;
    called = true;
    done(!res.writableFinished);
  });
}
