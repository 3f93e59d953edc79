import { describe, expect, it } from "vitest";
import { collectBody, concatBytes, replayBody, toBytes } from "../../src/middleware/body.js";

async function* source(...chunks: unknown[]): AsyncGenerator<unknown> {
  yield* chunks;
}

describe("collectBody", () => {
  it("reads strings, bytes and ArrayBuffers whole under the limit", async () => {
    const read = await collectBody(source("ab", new Uint8Array([99]), new Uint8Array([100]).buffer), 10);
    expect(read.complete && new TextDecoder().decode(read.body)).toBe("abcd");
  });

  it("stops past the limit and replays every byte, read or not", async () => {
    const read = await collectBody(source("abc", "def", "ghi"), 4);
    expect(read.complete).toBe(false);
    if (read.complete) return;
    const parts: Uint8Array[] = [];
    for await (const chunk of replayBody(read)) parts.push(chunk);
    expect(new TextDecoder().decode(concatBytes(parts, 9))).toBe("abcdefghi");
  });

  it("refuses chunks that are not bytes", () => {
    expect(() => toBytes(42)).toThrow(TypeError);
  });
});
