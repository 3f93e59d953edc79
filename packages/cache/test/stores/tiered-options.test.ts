import { describe, expect, it } from "vitest";
import { CacheError } from "../../src/errors.js";
import { memoryStore } from "../../src/stores/memory.js";
import { redisStore } from "../../src/stores/redis.js";
import {
  decodeInvalidation,
  encodeInvalidation,
  type Invalidation,
} from "../../src/stores/tiered/messages.js";
import { type TieredStoreOptions, tieredStore } from "../../src/stores/tiered.js";
import type { CacheStore } from "../../src/types.js";

const sendCommand = async () => null;
// Shapes only: these tests never reach a server, they check what the factory refuses up front.
const ioredisShaped = { call() {}, subscribe() {}, on() {}, off() {}, once() {} };
const nodeRedisShaped = { sendCommand() {}, subscribe() {}, on() {}, off() {} };

function optionError(stores: unknown, options: unknown): CacheError {
  try {
    tieredStore(stores as [CacheStore, CacheStore], options as TieredStoreOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).code).toBe("ERR_KEEL_CACHE_OPTION");
    return error as CacheError;
  }
  throw new Error("expected tieredStore to throw");
}

describe("tieredStore options", () => {
  const l2 = () => redisStore({ sendCommand });

  it("needs exactly two stores, the second shared between processes", () => {
    expect(optionError([memoryStore()], { subscriber: ioredisShaped }).message).toContain("two stores");
    expect(optionError("memory", { subscriber: ioredisShaped }).message).toContain("two stores");
    expect(optionError([memoryStore(), memoryStore()], { subscriber: ioredisShaped }).message).toContain(
      "shared",
    );
  });

  it("needs a subscriber connection of ioredis or node-redis shape", () => {
    expect(optionError([memoryStore(), l2()], {}).message).toContain("`subscriber`");
    expect(optionError([memoryStore(), l2()], { subscriber: { subscribe() {} } }).message).toContain(
      "`subscriber`",
    );
    expect(optionError([memoryStore(), l2()], undefined).message).toContain("`subscriber`");
  });

  it("needs a client to publish with when L2 is not a redisStore", () => {
    const shared: CacheStore = { ...memoryStore(), capabilities: { liveValues: false, shared: true } };
    expect(optionError([memoryStore(), shared], { subscriber: nodeRedisShaped }).message).toContain(
      "`client`",
    );
  });

  it("validates channel, l1Ttl, clock and onError when the store is made", () => {
    const base = { subscriber: ioredisShaped };
    expect(optionError([memoryStore(), l2()], { ...base, channel: "" }).message).toContain("`channel`");
    for (const l1Ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, "60"]) {
      expect(optionError([memoryStore(), l2()], { ...base, l1Ttl }).message).toContain("`l1Ttl`");
    }
    expect(optionError([memoryStore(), l2()], { ...base, clock: {} }).message).toContain("`clock`");
    expect(optionError([memoryStore(), l2()], { ...base, onError: 1 }).message).toContain("`onError`");
    expect(optionError([memoryStore(), l2()], { ...base, client: {} }).message).toContain("ioredis");
  });
});

describe("invalidation messages", () => {
  it("round-trip every kind with the sender's id", () => {
    const kinds: Invalidation[] = [
      { kind: "keys", keys: ["a", "é\n"] },
      { kind: "pattern", pattern: "/m/*" },
      { kind: "tags", tags: ["t"] },
      { kind: "clear" },
    ];
    for (const invalidation of kinds) {
      expect(decodeInvalidation(encodeInvalidation("me", invalidation))).toEqual({
        from: "me",
        invalidation,
      });
    }
  });

  it("ignores anything another publisher put on the channel", () => {
    for (const text of [
      "hello",
      "null",
      "[]",
      '{"kind":"clear"}',
      '{"from":"x","kind":"keys","keys":[1]}',
      '{"from":"x","kind":"pattern"}',
      '{"from":"x","kind":"tags","tags":"t"}',
      '{"from":"x","kind":"flush"}',
    ]) {
      expect(decodeInvalidation(text)).toBeUndefined();
    }
  });
});
