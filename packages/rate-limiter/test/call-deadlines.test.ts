import { afterEach, describe, expect, it, vi } from "vitest";
import { CallDeadlines } from "../src/call-deadlines.js";
import { RateLimiterError } from "../src/errors.js";
import { memoryStore } from "../src/stores/memory.js";

const store = memoryStore();

/** A store call that settles only when told to. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Tracks when a promise settles, and how. */
function watch<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

describe("CallDeadlines", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("times out each call at its own deadline, whenever it started", async () => {
    vi.useFakeTimers();
    const deadlines = new CallDeadlines(100);
    const calls = [0, 30, 30, 70].map(() => deferred<number>());
    const watched = [];
    for (const [i, startsAt] of [0, 30, 30, 70].entries()) {
      await vi.advanceTimersByTimeAsync(startsAt - (i === 0 ? 0 : [0, 30, 30, 70][i - 1]!));
      watched.push(watch(deadlines.run(store, "consume", () => calls[i]!.promise)));
    }
    // now = 70: the calls end at 100, 130, 130 and 170
    await vi.advanceTimersByTimeAsync(29);
    expect(watched.map((w) => w.settled)).toEqual([false, false, false, false]);
    await vi.advanceTimersByTimeAsync(1);
    expect(watched.map((w) => w.settled)).toEqual([true, false, false, false]);
    await vi.advanceTimersByTimeAsync(29);
    expect(watched.map((w) => w.settled)).toEqual([true, false, false, false]);
    await vi.advanceTimersByTimeAsync(1);
    expect(watched.map((w) => w.settled)).toEqual([true, true, true, false]);
    await vi.advanceTimersByTimeAsync(40);
    expect(watched.map((w) => w.settled)).toEqual([true, true, true, true]);
    for (const w of watched) {
      expect(w.error).toBeInstanceOf(RateLimiterError);
      expect(w.error).toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_STORE_TIMEOUT" });
      expect((w.error as Error).message).toMatch(/memory store did not answer consume within 100 ms/);
    }
  });

  it("settles with the answer that comes first and ignores a late one", async () => {
    vi.useFakeTimers();
    const deadlines = new CallDeadlines(100);
    const early = deferred<string>();
    const late = deferred<string>();
    const failing = deferred<string>();
    const first = watch(deadlines.run(store, "consume", () => early.promise));
    const second = watch(deadlines.run(store, "refund", () => late.promise));
    const third = watch(deadlines.run(store, "reset", () => failing.promise));
    early.resolve("answer");
    failing.reject(new Error("connection reset"));
    await vi.advanceTimersByTimeAsync(100);
    late.resolve("too late");
    await vi.advanceTimersByTimeAsync(1);
    expect(first).toEqual({ settled: true, value: "answer" });
    expect(second.error).toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_STORE_TIMEOUT" });
    expect(third.error).toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_STORE" });
    expect((third.error as Error).message).toMatch(/memory store failed on reset: connection reset/);
  });

  it("keeps one timer for any number of calls in flight, and none keeps the process alive", async () => {
    vi.useFakeTimers();
    const deadlines = new CallDeadlines(100);
    const hanging = Array.from({ length: 1_000 }, () => deferred<number>());
    const watched = hanging.map((call) => watch(deadlines.run(store, "consume", () => call.promise)));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(watched.every((w) => w.settled)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("turns a call that throws synchronously into a store error without waiting", async () => {
    const deadlines = new CallDeadlines(100);
    const outcome = deadlines.run(store, "cleanup", () => {
      throw new Error("not connected");
    });
    await expect(outcome).rejects.toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_STORE" });
  });

  it("never times out with an infinite timeout, and still wraps failures", async () => {
    vi.useFakeTimers();
    const deadlines = new CallDeadlines(Number.POSITIVE_INFINITY);
    const hanging = watch(deadlines.run(store, "consume", () => new Promise(() => undefined)));
    const failing = watch(deadlines.run(store, "consume", () => Promise.reject(new Error("boom"))));
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(hanging.settled).toBe(false);
    expect(failing.error).toMatchObject({ code: "ERR_KEEL_RATE_LIMIT_STORE" });
  });

  it("arms one timer for a stream of calls that all answer, and none once they have", async () => {
    vi.useFakeTimers();
    const deadlines = new CallDeadlines(100);
    for (let i = 0; i < 10_000; i++) {
      expect(await deadlines.run(store, "consume", () => Promise.resolve(i))).toBe(i);
      expect(vi.getTimerCount()).toBe(1);
    }
    // The timer finds nothing to expire and is not armed again.
    await vi.advanceTimersByTimeAsync(100);
    expect(vi.getTimerCount()).toBe(0);
  });
});
