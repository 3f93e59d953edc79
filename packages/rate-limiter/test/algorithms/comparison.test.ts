import { describe, expect, it } from "vitest";
import type { Algorithm } from "../../src/algorithms/algorithm.js";
import { algorithmNames, algorithms } from "../../src/algorithms/registry.js";
import { emptyDecision } from "./model.js";

describe("the four algorithms side by side (the README's picture)", () => {
  it("decide a request every 125 ms under 4 per second as the README shows", () => {
    const lines = algorithmNames.map((name) => {
      const algorithm = algorithms[name] as unknown as Algorithm<object>;
      const policy = { name: "p", algorithm: name, limit: 4, windowMs: 1_000 };
      const state = algorithm.empty();
      const marks: string[] = [];
      for (let t = 100; t < 2_100; t += 125) {
        const allowed = algorithm.decide(state, policy, t, 1, emptyDecision()).allowed;
        if (allowed) algorithm.apply(state, policy, t, 1);
        marks.push(allowed ? "x" : "-");
      }
      return `${name.padEnd(16)} ${marks.join(" ")}`;
    });
    expect(lines).toEqual([
      "fixed-window     x x x x - - - - x x x x - - - -",
      "sliding-window   x x x x - - - - - - x - x - x -",
      "token-bucket     x x x x x x x - x - x - x - x -",
      "gcra             x x x x x x x - x - x - x - x -",
    ]);
  });
});
