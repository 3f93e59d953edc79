// After: @keel/cache. TTLs are seconds; `wrap` is `getOrSet`.
import assert from "node:assert/strict";
import { createCache } from "@keel/cache";

const cache = createCache({ defaultTtl: 60 });
let loads = 0;
const load = async () => {
  loads += 1;
  return { id: 1, name: "Ada" };
};

await cache.set("greeting", "hello", 10);
assert.equal(await cache.get("greeting"), "hello");
const user = await cache.getOrSet("user:1", load, 30);
assert.deepEqual(await cache.getOrSet("user:1", load, 30), user);
assert.equal(loads, 1);
// Where cache-manager refreshes early (refreshThreshold), serve stale while one refresh runs:
await cache.getOrSet("user:2", load, { ttl: 30, staleTtl: 300, tags: ["users"] });
await cache.invalidateTags(["users"]);
await cache.delete("user:1");
await cache.clear();
await cache.close();
