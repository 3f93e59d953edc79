// Two levels: a memory L1 in each process in front of a shared Redis L2. A write or invalidation in
// one process evicts the L1 copies of every other through Redis pub/sub.
import assert from "node:assert/strict";
import { createCache, memoryStore, redisStore, tieredStore } from "@keel/cache";
import { Redis } from "ioredis";

const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `docs:${process.pid}:${Date.now()}:tiered:`;

/** One app instance: its own clients, its own L1, the shared L2. */
async function instance() {
  const client = new Redis(url);
  const subscriber = client.duplicate(); // pub/sub needs a connection of its own
  const store = tieredStore([memoryStore({ max: 10_000 }), redisStore({ client, prefix })], {
    subscriber,
    l1Ttl: 30, // an L1 copy lives at most 30 s, even if an invalidation message were lost
  });
  await store.ready; // subscribed to the invalidation channel
  const cache = createCache({ store });
  const close = async () => {
    await cache.close();
    subscriber.disconnect();
    client.disconnect();
  };
  return { cache, close };
}

const a = await instance();
const b = await instance();

await a.cache.set("course:1", { title: "Intro" }, 600);
assert.deepEqual(await b.cache.get("course:1"), { title: "Intro" }); // from L2, now also in b's L1

await a.cache.set("course:1", { title: "Intro, 2nd edition" }, 600); // evicts b's L1 copy
for (let i = 0; i < 50; i++) {
  // pub/sub is asynchronous: wait (at most 1 s) for the message to reach b
  if ((await b.cache.get<{ title: string }>("course:1"))?.title === "Intro, 2nd edition") break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
assert.deepEqual(await b.cache.get("course:1"), { title: "Intro, 2nd edition" });

await a.cache.clear();
await a.close();
await b.close();
