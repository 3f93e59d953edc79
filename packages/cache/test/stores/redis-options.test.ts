import { describe, expect, it } from "vitest";
import { CacheError } from "../../src/errors.js";
import { type RedisStoreOptions, redisStore } from "../../src/stores/redis.js";

const sendCommand = async () => null;

function optionError(options: unknown): CacheError {
  try {
    redisStore(options as RedisStoreOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(CacheError);
    expect((error as CacheError).code).toBe("ERR_KEEL_CACHE_OPTION");
    return error as CacheError;
  }
  throw new Error("expected redisStore to throw");
}

describe("redisStore options", () => {
  it("needs exactly one of client and sendCommand", () => {
    expect(optionError({}).message).toContain("exactly one of `client`");
    expect(optionError({ client: {}, sendCommand }).message).toContain("exactly one of `client`");
    expect(optionError(undefined).message).toContain("options object");
    expect(optionError({ sendCommand: "GET" }).message).toContain("must be a function");
  });

  it("tells ioredis and node-redis apart by shape, and names both when a client is neither", () => {
    expect(optionError({ client: { get: () => 1 } }).message).toMatch(/ioredis.*node-redis/);
    expect(optionError({ client: 42 }).message).toContain("`client` must be");
  });

  it("refuses Redis Cluster clients of either library", () => {
    expect(optionError({ client: { isCluster: true, call() {}, callBuffer() {} } }).message).toContain(
      "Cluster",
    );
    expect(optionError({ client: { masters: [], sendCommand() {} } }).message).toContain("Cluster");
  });

  it("refuses an ioredis client with a keyPrefix, which SCAN patterns would not get", () => {
    const client = { call() {}, callBuffer() {}, options: { keyPrefix: "app:" } };
    expect(optionError({ client }).message).toContain('keyPrefix "app:"');
  });

  it("validates prefix, serializer, scanCount and clock when the store is made", () => {
    expect(optionError({ sendCommand, prefix: "" }).message).toContain("`prefix`");
    expect(optionError({ sendCommand, prefix: 7 }).message).toContain("got 7");
    expect(optionError({ sendCommand, serializer: { serialize() {} } }).message).toContain("`serializer`");
    expect(optionError({ sendCommand, scanCount: 0 }).message).toContain("`scanCount`");
    expect(optionError({ sendCommand, scanCount: 1.5 }).message).toContain("`scanCount`");
    expect(optionError({ sendCommand, clock: {} }).message).toContain("`clock`");
  });

  it("reports its name, capabilities and prefix", () => {
    const store = redisStore({ sendCommand });
    expect(store.name).toBe("redis");
    expect(store.capabilities).toEqual({ liveValues: false, shared: true });
    expect(store.prefix).toBe("keel:cache:");
  });
});
