/**
 * Interleaving: every round runs every entry once, in a freshly shuffled order, so slow drift on a
 * shared machine (thermal, another job starting) spreads over all entries instead of landing on
 * whichever ran last. The generator is seeded so a run can be repeated in the same order.
 */

/** A small, fast, seedable PRNG (mulberry32) returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A shuffled copy of `items` (Fisher-Yates); the input is left as it was. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The order to run `items` in: `rounds` arrays, each a fresh permutation of all items. */
export function schedule<T>(items: readonly T[], rounds: number, seed: number): T[][] {
  const random = seededRandom(seed);
  return Array.from({ length: rounds }, () => shuffle(items, random));
}
