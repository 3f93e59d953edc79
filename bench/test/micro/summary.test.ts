import { describe, expect, it } from "vitest";
import type { MicroSample } from "../../src/micro/protocol.js";
import { summarizeMicro } from "../../src/micro/summary.js";

function sample(name: string, round: number, nsPerOp: number): MicroSample {
  return { round, name, nsPerOp, p50Ns: nsPerOp, ops: 1000, heapBytesPerOp: 16 };
}

describe("summarizeMicro", () => {
  it("compares each case with the baseline in the same round, as a time ratio", () => {
    const samples = [
      sample("raw", 0, 100),
      sample("peer", 0, 400),
      sample("raw", 1, 200),
      sample("peer", 1, 800),
      sample("raw", 2, 100),
      sample("peer", 2, 500),
    ];
    const [raw, peer] = summarizeMicro(["raw", "peer"], "raw", samples);
    expect(raw).toMatchObject({ baseline: true, timeRatio: 1, nsPerOp: 100, opsPerSec: 1e7 });
    expect(peer).toMatchObject({
      baseline: false,
      timeRatio: 4,
      nsPerOp: 500,
      rounds: 3,
      heapBytesPerOp: 16,
    });
  });

  it("keeps a case that did not run, with its reason and no numbers", () => {
    const notes = new Map([["remote", "skipped: redis not reachable"]]);
    const [, remote] = summarizeMicro(["raw", "remote"], "raw", [sample("raw", 0, 100)], notes);
    expect(remote?.note).toBe("skipped: redis not reachable");
    expect(remote?.nsPerOp).toBeNaN();
    expect(remote?.timeRatio).toBeNaN();
  });
});
