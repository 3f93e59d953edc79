// Before: cache-manager 7. TTLs are milliseconds.
import assert from "node:assert/strict";
import { createCache } from "cache-manager";

const cache = createCache({ ttl: 60_000 }); // an in-memory Keyv store
let loads = 0;
const load = async () => {
  loads += 1;
  return { id: 1, name: "Ada" };
};

await cache.set("greeting", "hello", 10_000);
assert.equal(await cache.get("greeting"), "hello");
const user = await cache.wrap("user:1", load, 30_000);
assert.deepEqual(await cache.wrap("user:1", load, 30_000), user);
assert.equal(loads, 1);
await cache.del("user:1");
await cache.clear();
await cache.disconnect();
