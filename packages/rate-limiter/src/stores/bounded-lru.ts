/** Marks "no slot" in the link arrays: slots are 0 .. max-1 and max is below 2^32 - 1. */
const NONE = 0xffffffff;

/** Slots allocated up front; the arrays double from there as keys arrive, up to `max`. */
const INITIAL_SLOTS = 1024;

/**
 * A map from string keys to values that keeps at most `max` entries and forgets the least recently
 * used one to make room. The memory store's index: one `Map` lookup and a few integer writes per hit.
 *
 * Why not lru-cache: its `get` also checks TTLs, background fetches and a diagnostics channel (twice),
 * about a third of an in-memory rate-limit decision. The layout is the same (a `Map` from key to
 * slot, the keys and values in arrays, the recency list in two `Uint32Array`s), so a key costs what
 * it cost there; the arrays grow with use instead of being allocated for `max` up front.
 */
export class BoundedLru<V> {
  readonly max: number;
  readonly #slots = new Map<string, number>();
  // Sized with the link arrays (not grown by push, which leaves up to half the capacity unused).
  #keys: (string | undefined)[];
  #values: (V | undefined)[];
  /** Per slot: the next newer slot; for a free slot, the next free one. */
  #newer: Uint32Array;
  #older: Uint32Array;
  /** The least and the most recently used slots. */
  #oldest = NONE;
  #newest = NONE;
  /** Slots used so far (free ones included); slots at or past it were never used. */
  #used = 0;
  #freeSlot = NONE;

  constructor(max: number) {
    this.max = max;
    this.#newer = new Uint32Array(0);
    this.#older = new Uint32Array(0);
    this.#keys = [];
    this.#values = [];
    this.clear();
  }

  /** Entries now, never above `max`. */
  get size(): number {
    return this.#slots.size;
  }

  /** The value of `key`, now the most recently used; undefined when absent. */
  get(key: string): V | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (slot !== this.#newest) this.#moveToNewest(slot);
    return this.#values[slot];
  }

  /** The value of `key`, leaving its recency alone. */
  peek(key: string): V | undefined {
    const slot = this.#slots.get(key);
    return slot === undefined ? undefined : this.#values[slot];
  }

  /** Sets `key` (the most recently used now), forgetting the least recently used key if full. */
  set(key: string, value: V): void {
    let slot = this.#slots.get(key);
    if (slot !== undefined) {
      this.#values[slot] = value;
      if (slot !== this.#newest) this.#moveToNewest(slot);
      return;
    }
    slot = this.#slots.size >= this.max ? this.#evictOldest() : this.#takeSlot();
    this.#slots.set(key, slot);
    this.#keys[slot] = key;
    this.#values[slot] = value;
    this.#link(slot);
  }

  /** Forgets `key`; true when it was there. */
  delete(key: string): boolean {
    const slot = this.#slots.get(key);
    if (slot === undefined) return false;
    this.#slots.delete(key);
    this.#unlink(slot);
    this.#keys[slot] = undefined;
    this.#values[slot] = undefined;
    this.#newer[slot] = this.#freeSlot;
    this.#freeSlot = slot;
    return true;
  }

  /** Every entry, least recently used first; do not change the map while iterating. */
  *entries(): IterableIterator<[string, V]> {
    for (let slot = this.#oldest; slot !== NONE; slot = this.#newer[slot] as number) {
      yield [this.#keys[slot] as string, this.#values[slot] as V];
    }
  }

  /** Forgets everything, and gives back the memory it grew into. */
  clear(): void {
    const initial = Math.min(this.max, INITIAL_SLOTS);
    this.#slots.clear();
    this.#newer = new Uint32Array(initial);
    this.#older = new Uint32Array(initial);
    this.#keys = new Array(initial);
    this.#values = new Array(initial);
    this.#oldest = NONE;
    this.#newest = NONE;
    this.#used = 0;
    this.#freeSlot = NONE;
  }

  #takeSlot(): number {
    const free = this.#freeSlot;
    if (free !== NONE) {
      this.#freeSlot = this.#newer[free] as number;
      return free;
    }
    const slot = this.#used++;
    if (slot >= this.#newer.length) this.#grow();
    return slot;
  }

  /** Doubles the arrays, up to `max` slots. */
  #grow(): void {
    const used = this.#newer.length;
    const length = Math.min(this.max, used * 2);
    const newer = new Uint32Array(length);
    const older = new Uint32Array(length);
    newer.set(this.#newer);
    older.set(this.#older);
    const keys: (string | undefined)[] = new Array(length);
    const values: (V | undefined)[] = new Array(length);
    for (let i = 0; i < used; i++) {
      keys[i] = this.#keys[i];
      values[i] = this.#values[i];
    }
    this.#newer = newer;
    this.#older = older;
    this.#keys = keys;
    this.#values = values;
  }

  #evictOldest(): number {
    const slot = this.#oldest;
    this.#slots.delete(this.#keys[slot] as string);
    this.#unlink(slot);
    return slot;
  }

  /** Appends `slot` as the newest. */
  #link(slot: number): void {
    this.#older[slot] = this.#newest;
    this.#newer[slot] = NONE;
    if (this.#newest === NONE) this.#oldest = slot;
    else this.#newer[this.#newest] = slot;
    this.#newest = slot;
  }

  #unlink(slot: number): void {
    const older = this.#older[slot] as number;
    const newer = this.#newer[slot] as number;
    if (older === NONE) this.#oldest = newer;
    else this.#newer[older] = newer;
    if (newer === NONE) this.#newest = older;
    else this.#older[newer] = older;
  }

  #moveToNewest(slot: number): void {
    this.#unlink(slot);
    this.#link(slot);
  }
}
