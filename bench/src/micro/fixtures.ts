/** Inputs shared by micro suites, built once so building them is never what gets measured. */

/** A small cached value: the kind of object a route caches (the HTTP body's shape). */
export const VALUE = { id: 42, name: "keel", ok: true, tags: ["bench", "baseline"] };

/** A hot key. */
export const KEY = "user:42";

/** 1,024 distinct keys, for benches that should not hammer one slot. Index with `i & 1023`. */
export const KEYS: readonly string[] = Array.from({ length: 1024 }, (_, i) => `user:${i}`);

/**
 * 1,024 latencies, milliseconds, spread log-uniformly from 0.1 ms to 1 s (what a request-duration
 * metric sees). Index with `i & 1023`.
 */
export const LATENCIES_MS: readonly number[] = Array.from(
  { length: 1024 },
  (_, i) => 0.1 * 10_000 ** (((i * 389) % 1024) / 1023),
);

/** The same latencies in whole microseconds (at least 1), for recorders that take integers. */
export const LATENCIES_US: readonly number[] = LATENCIES_MS.map((ms) => Math.max(1, Math.round(ms * 1000)));
