/**
 * One rate-limit decision on a hot key in memory, awaited. Baseline: express-rate-limit's
 * MemoryStore `increment` (what its middleware does per request).
 */
import { MemoryStore, type Options } from "express-rate-limit";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type { MicroSuite } from "../src/micro/suite.js";

const HOT_KEY = "127.0.0.1";
const WINDOW_MS = 60_000;

export const suite: MicroSuite = {
  name: "rate-limit-check",
  group: "rate-limiter",
  title: "one decision (count and compare) on a hot key, in memory, awaited",
  baseline: "express-rate-limit MemoryStore increment",
  cases: [
    {
      name: "express-rate-limit MemoryStore increment",
      setup: () => {
        const store = new MemoryStore();
        store.init({ windowMs: WINDOW_MS } as Options);
        return () => store.increment(HOT_KEY);
      },
    },
    {
      name: "rate-limiter-flexible RateLimiterMemory consume",
      setup: () => {
        // Points high enough that no measurement ever gets rejected (a rejection is a thrown error).
        const limiter = new RateLimiterMemory({ points: 2_000_000_000, duration: WINDOW_MS / 1000 });
        return () => limiter.consume(HOT_KEY);
      },
    },
  ],
};
