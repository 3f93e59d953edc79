import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCache } from "../src/cache.js";
import { compileGlob } from "../src/glob.js";
import { liveAccessOf } from "../src/live-access.js";
import { memoryStore } from "../src/stores/memory.js";
import { createFakeClock, type FakeClock } from "../src/testing/index.js";
import type { CacheStore } from "../src/types.js";
import { chaosStore } from "./support/chaos-store.js";

const kinds: [string, (clock: FakeClock) => CacheStore][] = [
  ["memory store", (clock) => memoryStore({ clock })],
  ["async store", (clock) => chaosStore(memoryStore({ clock }))],
];

const keyArb = fc.constantFrom("a", "b", "c", "d");
type Command =
  | { kind: "set"; key: string; ttl: number; staleTtl: number | undefined }
  | { kind: "get" | "has" | "delete"; key: string }
  | { kind: "advance"; ms: number };
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant("set" as const),
    key: keyArb,
    ttl: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.double({ min: 0.001, max: 10, noNaN: true })),
    staleTtl: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constantFrom("get" as const, "has" as const, "delete" as const), key: keyArb }),
  fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 12_000 }) }),
);

describe.each(kinds)("properties of a cache on a %s", (_kind, makeStore) => {
  it("returns a value exactly while now < set time + ttl, whatever the sequence of operations", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { maxLength: 40 }), async (commands) => {
        const clock = createFakeClock(0);
        const cache = createCache({ clock, store: makeStore(clock) });
        const model = new Map<string, { value: number; expiresAt: number }>();
        let serial = 0;
        for (const command of commands) {
          if (command.kind === "advance") clock.advance(command.ms);
          else if (command.kind === "set") {
            const value = serial++;
            const options =
              command.staleTtl === undefined ? command.ttl : { ttl: command.ttl, staleTtl: command.staleTtl };
            await cache.set(command.key, value, options);
            model.set(command.key, { value, expiresAt: clock.now() + command.ttl * 1000 });
          } else {
            const known = model.get(command.key);
            const fresh = known !== undefined && known.expiresAt > clock.now() ? known.value : undefined;
            if (command.kind === "get") expect(await cache.get(command.key)).toBe(fresh);
            if (command.kind === "has") expect(await cache.has(command.key)).toBe(fresh !== undefined);
            if (command.kind === "delete") {
              await cache.delete(command.key);
              model.delete(command.key);
            }
          }
        }
        await cache.close();
      }),
      { numRuns: 200 },
    );
  });

  it("removes exactly the keys a glob matches on invalidate", async () => {
    const keyChars = fc.constantFrom("a", "b", "/", ":", "é", "😀", "*", "?", "[");
    const keysArb = fc.uniqueArray(
      fc.array(keyChars, { maxLength: 6 }).map((c) => c.join("")),
      { maxLength: 15 },
    );
    const patternArb = fc.array(fc.constantFrom("a", "b", "/", "é", "😀", "*", "?", "\\*", "\\?", "["), {
      maxLength: 5,
    });
    await fc.assert(
      fc.asyncProperty(keysArb, patternArb, async (keys, parts) => {
        const pattern = parts.join("");
        const clock = createFakeClock();
        const cache = createCache({ clock, store: makeStore(clock) });
        for (const key of keys) await cache.set(key, key);
        const matches = compileGlob(pattern);
        const expected = keys.filter((key) => matches(key));
        expect(await cache.invalidate(pattern)).toBe(expected.length);
        for (const key of keys) expect(await cache.has(key)).toBe(!expected.includes(key));
        await cache.close();
      }),
      { numRuns: 150 },
    );
  });

  it("runs fetchFn once per key however many callers miss it concurrently", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(keyArb, { minLength: 1, maxLength: 200 }), async (callerKeys) => {
        const clock = createFakeClock();
        const cache = createCache({ clock, store: makeStore(clock) });
        const fetches = new Map<string, number>();
        const results = await Promise.all(
          callerKeys.map((key) =>
            cache.getOrSet(key, async () => {
              fetches.set(key, (fetches.get(key) ?? 0) + 1);
              await new Promise((resolve) => setImmediate(resolve));
              return `${key}:${fetches.get(key)}`;
            }),
          ),
        );
        expect([...fetches.values()].every((count) => count === 1)).toBe(true);
        expect(fetches.size).toBe(new Set(callerKeys).size);
        expect(results).toEqual(callerKeys.map((key) => `${key}:1`));
        await cache.close();
      }),
      { numRuns: 100 },
    );
  });
});

describe("the memory store's bound", () => {
  it("never holds more than max entries, and its indexes never outgrow them, for any key sequence", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50 }),
        fc.array(
          fc.tuple(fc.string({ maxLength: 4 }), fc.array(fc.constantFrom("x", "y", "z"), { maxLength: 3 })),
        ),
        async (max, writes) => {
          const store = memoryStore({ max });
          const cache = createCache({ store });
          // The model: a least-recently-used list of at most `max` keys.
          const lru: string[] = [];
          let evictions = 0;
          for (const [key, tags] of writes) {
            await cache.set(key, 1, { tags });
            const at = lru.indexOf(key);
            if (at >= 0) lru.splice(at, 1);
            else if (lru.length === max) {
              lru.shift();
              evictions++;
            }
            lru.push(key);
            const sizes = liveAccessOf(store)!.indexSizes();
            expect(sizes.keys).toBeLessThanOrEqual(max);
            expect(sizes.taggedKeys).toBeLessThanOrEqual(3 * max);
          }
          const stats = await cache.getStats();
          expect(stats.size).toBe(lru.length);
          expect(stats.evictions).toBe(evictions);
          for (const key of lru) expect(await cache.has(key)).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("stays at max entries while an attacker writes a million distinct keys", async () => {
    const store = memoryStore({ max: 1_000 });
    const cache = createCache({ store });
    for (let i = 0; i < 1_000_000; i++) {
      await cache.set(`attacker:${i}`, i, { tags: [`t${i % 7}`] });
      if (i % 100_000 === 0) expect(liveAccessOf(store)!.indexSizes().keys).toBeLessThanOrEqual(1_000);
    }
    const stats = await cache.getStats();
    expect(stats.size).toBe(1_000);
    expect(stats.evictions).toBe(999_000);
    expect(liveAccessOf(store)!.indexSizes()).toEqual({ keys: 1_000, tags: 7, taggedKeys: 1_000 });
    await cache.close();
  }, 60_000);
});
