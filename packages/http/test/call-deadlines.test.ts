import { afterEach, describe, expect, it, vi } from "vitest";
import { CallDeadlines } from "../src/call-deadlines.js";
import { HttpError } from "../src/errors.js";

/** A call that settles only when told to. */
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

const timedOut = () => new Error("timed out");
const failed = (cause: unknown) => new Error("failed", { cause });

describe("CallDeadlines", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("times out each call at its own deadline, whenever it started", async () => {
    vi.useFakeTimers();
    const deadlines = new CallDeadlines(100);
    const starts = [0, 30, 30, 70];
    const watched = [];
    for (const [i, startsAt] of starts.entries()) {
      await vi.advanceTimersByTimeAsync(startsAt - (i === 0 ? 0 : (starts[i - 1] as number)));
      watched.push(watch(deadlines.race(deferred<number>().promise, timedOut)));
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
    for (const w of watched) expect((w.error as Error).message).toBe("timed out");
  });

  it("settles with the answer that comes first and ignores a late one", async () => {
    vi.useFakeTimers();
    const deadlines = new CallDeadlines(100);
    const early = deferred<string>();
    const late = deferred<string>();
    const failing = deferred<string>();
    const first = watch(deadlines.race(early.promise, timedOut, failed));
    const second = watch(deadlines.race(late.promise, timedOut, failed));
    const third = watch(deadlines.race(failing.promise, timedOut, failed));
    const unmapped = deferred<string>();
    const fourth = watch(deadlines.race(unmapped.promise, timedOut));
    early.resolve("answer");
    failing.reject(new Error("connection reset"));
    unmapped.reject("as is");
    await vi.advanceTimersByTimeAsync(100);
    late.resolve("too late");
    await vi.advanceTimersByTimeAsync(1);
    expect(first).toEqual({ settled: true, value: "answer" });
    expect((second.error as Error).message).toBe("timed out");
    expect((third.error as Error).message).toBe("failed");
    expect(((third.error as Error).cause as Error).message).toBe("connection reset");
    expect(fourth.error).toBe("as is");
  });

  it("keeps one timer for any number of calls in flight, and none keeps the process alive", async () => {
    vi.useFakeTimers();
    const deadlines = new CallDeadlines(100);
    const watched = Array.from({ length: 1_000 }, () =>
      watch(deadlines.race(deferred<number>().promise, timedOut)),
    );
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(watched.every((w) => w.settled)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("arms one timer for a stream of calls that all answer, and none once they have", async () => {
    vi.useFakeTimers();
    const deadlines = new CallDeadlines(100);
    for (let i = 0; i < 10_000; i++) {
      expect(await deadlines.race(Promise.resolve(i), timedOut)).toBe(i);
      expect(vi.getTimerCount()).toBe(1);
    }
    // The timer finds nothing to expire and is not armed again.
    await vi.advanceTimersByTimeAsync(100);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with what a throwing timeoutError threw, and still expires the calls after it", async () => {
    vi.useFakeTimers();
    const deadlines = new CallDeadlines(100);
    const first = watch(
      deadlines.race(deferred<number>().promise, () => {
        throw new Error("thrown while timing out");
      }),
    );
    const second = watch(deadlines.race(deferred<number>().promise, timedOut));
    await vi.advanceTimersByTimeAsync(100);
    expect((first.error as Error).message).toBe("thrown while timing out");
    expect((second.error as Error).message).toBe("timed out");
  });

  it("never times out with an infinite timeout, and still maps failures", async () => {
    vi.useFakeTimers();
    const deadlines = new CallDeadlines(Number.POSITIVE_INFINITY);
    const hanging = watch(deadlines.race(new Promise(() => undefined), timedOut));
    const failing = watch(deadlines.race(Promise.reject(new Error("boom")), timedOut, failed));
    const passing = watch(deadlines.race(Promise.reject(new Error("as is")), timedOut));
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(hanging.settled).toBe(false);
    expect((failing.error as Error).message).toBe("failed");
    expect((passing.error as Error).message).toBe("as is");
  });

  it("refuses a timeout that is not a positive number of milliseconds", () => {
    for (const bad of [0, -1, Number.NaN, "100" as unknown as number, undefined as unknown as number]) {
      expect(() => new CallDeadlines(bad)).toThrow(HttpError);
      expect(() => new CallDeadlines(bad)).toThrow(
        /timeoutMs must be a positive number of milliseconds or Infinity/,
      );
    }
    expect(new CallDeadlines(0.5).timeoutMs).toBe(0.5);
  });
});
