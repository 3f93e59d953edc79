// A real store whose answers can be made to fail: it delegates to a memory store, or rejects, or never
// answers, as told. It stands in for nothing but itself: a store that misbehaves on purpose, to test
// the limiter's failure policies (real Redis faults are tested with real Redis).

import type { Clock } from "../../src/clock.js";
import { memoryStore } from "../../src/stores/memory.js";
import type { ConsumeRequest, PolicyDecision, RateLimitPolicy, RateLimitStore } from "../../src/types.js";

export type Fault = "none" | "reject" | "hang" | "garbage";

export interface FaultyStore extends RateLimitStore {
  fault: Fault;
  readonly calls: { consume: number; refund: number; reset: number; cleanup: number };
}

export function faultyStore(clock: Clock, name = "faulty"): FaultyStore {
  const inner = memoryStore({ clock });
  const calls = { consume: 0, refund: 0, reset: 0, cleanup: 0 };
  const store: FaultyStore = {
    name,
    capabilities: { shared: true, serverClock: false },
    fault: "none",
    calls,
    consume(request: ConsumeRequest): Promise<PolicyDecision[]> {
      calls.consume++;
      return answer(() => inner.consume(request), [] as PolicyDecision[]);
    },
    refund(key: string, policies: readonly RateLimitPolicy[], units: number) {
      calls.refund++;
      return answer(() => inner.refund(key, policies, units), undefined);
    },
    reset(key: string, policies: readonly RateLimitPolicy[]) {
      calls.reset++;
      return answer(() => inner.reset(key, policies), undefined);
    },
    cleanup() {
      calls.cleanup++;
      return answer(() => inner.cleanup(), 0);
    },
    close: () => inner.close(),
  };
  function answer<T>(real: () => Promise<T>, garbage: unknown): Promise<T> {
    if (store.fault === "reject") return Promise.reject(new Error("connection refused"));
    if (store.fault === "hang") return new Promise<T>(() => {});
    if (store.fault === "garbage") return Promise.resolve(garbage as T);
    return real();
  }
  return store;
}
