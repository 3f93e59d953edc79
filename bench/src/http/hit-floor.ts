/**
 * What the `(floor)` cache variants answer with: the shared body, held as bytes, and the four headers
 * issue #6 asks of every cache hit (ETag, X-Cache, Cache-Status, Age) besides its content type.
 */
import { BODY } from "./variant.js";

export const HIT_BYTES: Buffer<ArrayBuffer> = Buffer.from(JSON.stringify(BODY));

export const HIT_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "application/json; charset=utf-8",
  etag: '"lZRvXeQxKKU01_WL5iZB1cN-xpY"',
  "x-cache": "HIT",
  "cache-status": "keel; hit; ttl=3599",
  age: "0",
};
