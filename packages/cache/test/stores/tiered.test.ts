import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { REDIS_URL, redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import { memoryStore } from "../../src/stores/memory.js";
import { redisStore } from "../../src/stores/redis.js";
import { type TieredStore, tieredStore } from "../../src/stores/tiered.js";
import type { CacheEntry, CacheStore } from "../../src/types.js";
import { CLIENT_NAMES, connectClient, type TestClient } from "./redis-clients.js";

const hasRedis = await redisAvailable();
const MINUTE = 60_000;

function entry(value: unknown, lifetimeMs = MINUTE, tags?: string[]): CacheEntry {
  const at = Date.now() + lifetimeMs;
  return tags === undefined
    ? { value, expiresAt: at, staleUntil: at }
    : { value, expiresAt: at, staleUntil: at, tags };
}

/** Waits (bounded: 2 s) until `check` holds; pub/sub messages cross a real connection. */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met within 2 s");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const gets = (redis: TestClient) => redis.sent.filter((args) => args[0] === "GET").length;

describe.skipIf(!hasRedis).each(CLIENT_NAMES)("tieredStore on %s", (clientName) => {
  let redis: TestClient;
  const opened: CacheStore[] = [];

  /** One "process": its own L1 in front of the shared L2 prefix, subscribed on its own connection. */
  async function instance(prefix: string, options: { l1Ttl?: number; clock?: { now(): number } } = {}) {
    const l1 = memoryStore(options.clock === undefined ? {} : { clock: options.clock });
    const l2 = redisStore({ client: redis.client, prefix });
    const store = tieredStore([l1, l2], { subscriber: await redis.duplicate(), ...options });
    opened.push(store);
    await store.ready;
    return { l1, l2, store };
  }

  beforeAll(async () => {
    redis = await connectClient(clientName, REDIS_URL);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    await redis.close();
  });

  it("serves from L1 after the first read, which fills L1 from L2", async () => {
    const prefix = uniquePrefix(`tiered-${clientName}`);
    const writer = await instance(prefix);
    const reader = await instance(prefix);
    await writer.store.set("k", entry({ n: 1 }));
    redis.sent.length = 0;
    expect((await reader.store.get("k"))?.value).toEqual({ n: 1 });
    expect(gets(redis)).toBe(1);
    // A read that overlapped the writer's message is not kept; the next one is.
    await eventually(
      async () => (await reader.store.get("k")) !== undefined && (await reader.l1.get("k")) !== undefined,
    );
    redis.sent.length = 0;
    expect((await reader.store.get("k"))?.value).toEqual({ n: 1 });
    expect(gets(redis)).toBe(0);
  });

  it("keeps an L2 hit in L1 for its remaining life, capped at l1Ttl", async () => {
    const prefix = uniquePrefix(`tiered-cap-${clientName}`);
    const now = Date.now();
    const clock = { now: () => now };
    const { store, l1 } = await instance(prefix, { l1Ttl: 5, clock });
    await redisStore({ client: redis.client, prefix }).set("long", {
      value: 1,
      expiresAt: now + MINUTE,
      staleUntil: now + 2 * MINUTE,
    });
    await redisStore({ client: redis.client, prefix }).set("short", {
      value: 2,
      expiresAt: now + 1000,
      staleUntil: now + 2000,
    });
    expect(await store.get("long")).toEqual({
      value: 1,
      expiresAt: now + MINUTE,
      staleUntil: now + 2 * MINUTE,
    });
    await store.get("short");
    expect(await l1.get("long")).toMatchObject({ expiresAt: now + 5000, staleUntil: now + 5000 });
    expect(await l1.get("short")).toMatchObject({ expiresAt: now + 1000, staleUntil: now + 2000 });
  });

  it("evicts another instance's L1 copy on set, and that instance then reads the new value", async () => {
    const prefix = uniquePrefix(`tiered-set-${clientName}`);
    const a = await instance(prefix);
    const b = await instance(prefix);
    await a.store.set("k", entry("v1"));
    expect((await b.store.get("k"))?.value).toBe("v1");
    await a.store.set("k", entry("v2"));
    await eventually(async () => (await b.l1.get("k")) === undefined);
    expect((await b.store.get("k"))?.value).toBe("v2");
  });

  it("ignores its own messages: the writer keeps its fresh L1 copy", async () => {
    const prefix = uniquePrefix(`tiered-self-${clientName}`);
    const a = await instance(prefix);
    const b = await instance(prefix);
    await b.store.get("warm");
    await a.store.set("k", entry("mine"));
    await a.store.set("other", entry("x"));
    // b has seen both messages; a received them too and must not have dropped its copy.
    await eventually(async () => (await b.l1.get("other")) === undefined);
    redis.sent.length = 0;
    expect((await a.store.get("k"))?.value).toBe("mine");
    expect(gets(redis)).toBe(0);
  });

  it("spreads delete, invalidate, invalidateTags and clear to every L1", async () => {
    const prefix = uniquePrefix(`tiered-ops-${clientName}`);
    const a = await instance(prefix);
    const b = await instance(prefix);
    const fill = async () => {
      for (const [key, tags] of [
        ["/m/1", ["m"]],
        ["/m/2", ["m"]],
        ["/t/1", ["t"]],
        ["/x", ["x"]],
      ] as const) {
        await a.store.set(key, entry(key, MINUTE, [...tags]));
        await eventually(
          async () => (await b.store.get(key)) !== undefined && (await b.l1.get(key)) !== undefined,
        );
      }
    };
    await fill();
    expect(await a.store.delete("/x")).toBe(true);
    await eventually(async () => (await b.l1.get("/x")) === undefined);
    expect(await a.store.invalidate("/m/*")).toBe(2);
    await eventually(
      async () => (await b.l1.get("/m/1")) === undefined && (await b.l1.get("/m/2")) === undefined,
    );
    expect(await b.l1.get("/t/1")).toBeDefined();
    expect(await a.store.invalidateTags(["t"])).toBe(1);
    await eventually(async () => (await b.l1.get("/t/1")) === undefined);
    await fill();
    await a.store.clear();
    await eventually(async () => (await b.l1.size()) === 0);
    expect(await a.l1.size()).toBe(0);
    expect(await b.store.size()).toBe(0);
  });

  it("does not keep in L1 what a read fetched while an invalidation arrived", async () => {
    const prefix = uniquePrefix(`tiered-race-${clientName}`);
    const a = await instance(prefix);
    const l1 = memoryStore();
    const l2 = redisStore({ client: redis.client, prefix });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The real L2, whose answer is held back until the gate opens: the read is slower than a write.
    const slowL2: CacheStore = {
      ...l2,
      get: async (key) => {
        const found = await l2.get(key);
        await gate;
        return found;
      },
    };
    const subscriber = await redis.duplicate();
    const b = tieredStore([l1, slowL2], {
      subscriber,
      client: redis.client,
      channel: `${prefix}invalidations`,
    });
    opened.push(b);
    await b.ready;
    await a.store.set("k", entry("old"));
    const read = b.get("k");
    await new Promise((resolve) => setTimeout(resolve, 20)); // let b's GET reach Redis first
    await a.store.set("k", entry("new"));
    // Messages from one publisher arrive in order: once b has dropped "probe", it has seen "k"'s too.
    await l1.set("probe", entry(0));
    await a.store.delete("probe");
    await eventually(async () => (await l1.get("probe")) === undefined);
    release();
    expect((await read)?.value).toBe("old");
    expect(await l1.get("k")).toBeUndefined();
    expect((await b.get("k"))?.value).toBe("new");
  });

  it("lists keys and counts entries from L2 and reports L2's evictions", async () => {
    const prefix = uniquePrefix(`tiered-keys-${clientName}`);
    let now = Date.now();
    const clock = { now: () => now };
    const l2 = redisStore({ client: redis.client, prefix, clock });
    const store = tieredStore([memoryStore({ clock }), l2], { subscriber: await redis.duplicate(), clock });
    opened.push(store);
    await store.ready;
    await l2.set("only-in-l2", { value: 1, expiresAt: now + 1000, staleUntil: now + 1000 });
    const keys: string[] = [];
    for await (const key of store.keys("only-*")) keys.push(key);
    expect(keys).toEqual(["only-in-l2"]);
    expect(await store.size()).toBe(1);
    const evicted: string[] = [];
    store.onEvict((key, reason) => evicted.push(`${key}:${reason}`));
    now += 1000;
    expect(await store.get("only-in-l2")).toBeUndefined();
    expect(evicted).toEqual(["only-in-l2:expired"]);
  });

  it("clears L1 when its subscriber reconnects, since messages may have been lost", async () => {
    const prefix = uniquePrefix(`tiered-reconnect-${clientName}`);
    const subscriber = await redis.duplicate();
    const id = await (clientName === "ioredis"
      ? (subscriber as unknown as { call(...a: string[]): Promise<unknown> }).call("CLIENT", "ID")
      : (subscriber as unknown as { sendCommand(a: string[]): Promise<unknown> }).sendCommand([
          "CLIENT",
          "ID",
        ]));
    const l1 = memoryStore();
    const store = tieredStore([l1, redisStore({ client: redis.client, prefix })], { subscriber });
    opened.push(store);
    await store.ready;
    await store.set("k", entry(1));
    expect(await l1.get("k")).toBeDefined();
    // Kill only our own subscriber connection, by id; the client reconnects by itself.
    await redis.command(["CLIENT", "KILL", "ID", String(id)]);
    await eventually(async () => (await l1.get("k")) === undefined);
    expect((await store.get("k"))?.value).toBe(1);
  });

  it("refuses calls after close(), and leaves both connections open", async () => {
    const prefix = uniquePrefix(`tiered-close-${clientName}`);
    const { store } = await instance(prefix);
    await store.close();
    await store.close();
    await expect(store.get("k")).rejects.toMatchObject({ code: "ERR_KEEL_CACHE_CLOSED" });
    await expect(store.keys()[Symbol.asyncIterator]().next()).rejects.toMatchObject({
      code: "ERR_KEEL_CACHE_CLOSED",
    });
    expect(await redis.command(["PING"])).toBe("PONG");
  });

  it("declares live values from its L1 and shared entries", async () => {
    const { store } = await instance(uniquePrefix("tiered-caps"));
    expect(store.name).toBe("tiered");
    expect(store.capabilities).toEqual({ liveValues: true, shared: true });
    expect(typeof (store as TieredStore).instanceId).toBe("string");
  });
});
