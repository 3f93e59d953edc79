import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

/** A fresh coarseClock per test: it is a module singleton with a timer. */
async function freshCoarseClock(): Promise<{ now(): number }> {
  vi.resetModules();
  return (await import("../src/coarse-clock.js")).coarseClock;
}

describe("coarseClock", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reads Date.now() once per millisecond of event-loop time, and never runs ahead of it", async () => {
    const clock = await freshCoarseClock();
    const first = clock.now();
    expect(first).toBe(Date.now());
    vi.setSystemTime(first + 10); // time moves, but no timer has fired yet
    expect(clock.now()).toBe(first);
    await vi.advanceTimersByTimeAsync(1); // the reset timer fires
    expect(clock.now()).toBe(Date.now());
  });

  it("re-reads Date.now() after 1,024 reads even when no timer can fire", async () => {
    const clock = await freshCoarseClock();
    const first = clock.now();
    vi.setSystemTime(first + 5);
    for (let i = 0; i < 1_023; i++) expect(clock.now()).toBe(first);
    expect(clock.now()).toBe(first + 5);
  });

  it("keeps at most one timer, unref'd", async () => {
    const clock = await freshCoarseClock();
    const setTimeout = vi.spyOn(globalThis, "setTimeout");
    for (let i = 0; i < 5_000; i++) clock.now();
    expect(setTimeout).toHaveBeenCalledTimes(1);
    const timer = setTimeout.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    setTimeout.mockRestore();
  });

  it("replaces a reset timer that was lost (fake timers swapped out) instead of freezing", async () => {
    const clock = await freshCoarseClock();
    const first = clock.now();
    vi.useRealTimers(); // the pending fake timer is gone for good
    vi.useFakeTimers({ now: first + 5_000 });
    for (let i = 0; i < 1_024; i++) clock.now();
    expect(clock.now()).toBe(first + 5_000);
    await vi.advanceTimersByTimeAsync(1); // a new reset timer was scheduled, and fires
    vi.setSystemTime(first + 6_000);
    expect(clock.now()).toBe(first + 6_000);
  });
});
