import { describe, expect, it } from "vitest";
import { CacheEmitter } from "../src/events.js";

describe("CacheEmitter", () => {
  it("calls every listener of an event in the order they were added", () => {
    const emitter = new CacheEmitter();
    const heard: string[] = [];
    emitter.on("miss", ({ key }) => heard.push(`1:${key}`));
    emitter.on("miss", ({ key }) => heard.push(`2:${key}`));
    emitter.emit("miss", { key: "k" });
    expect(heard).toEqual(["1:k", "2:k"]);
  });

  it("knows whether anyone listens, and flags hit listeners in a plain field", () => {
    const emitter = new CacheEmitter();
    expect(emitter.has("hit")).toBe(false);
    const off = emitter.on("hit", () => {});
    expect(emitter.has("hit")).toBe(true);
    expect(emitter.hitListened).toBe(true);
    off();
    expect(emitter.has("hit")).toBe(false);
    expect(emitter.hitListened).toBe(false);
  });

  it("lets a listener unsubscribe while an event is being emitted", () => {
    const emitter = new CacheEmitter();
    const heard: number[] = [];
    const off = emitter.on("miss", () => {
      heard.push(1);
      off();
    });
    emitter.on("miss", () => heard.push(2));
    emitter.emit("miss", { key: "k" });
    emitter.emit("miss", { key: "k" });
    expect(heard).toEqual([1, 2, 2]);
  });

  it("drops an error event nobody listens to instead of throwing it", () => {
    const emitter = new CacheEmitter();
    expect(() => emitter.emit("error", { error: new Error("x") as never, operation: "get" })).not.toThrow();
  });

  it("ignores off for a listener it never had", () => {
    const emitter = new CacheEmitter();
    emitter.off("evict", () => {});
    expect(emitter.has("evict")).toBe(false);
  });
});
