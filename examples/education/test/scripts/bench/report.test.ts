import { describe, expect, it } from "vitest";
import { median, summarizePlan } from "../../../scripts/bench/explain.js";
import { BENCH_QUERIES } from "../../../scripts/bench/queries.js";
import { formatTable, versusClaim } from "../../../scripts/bench/report.js";

describe("summarizePlan", () => {
  it("names each scan once, outermost first, folding a bitmap heap scan into its index", () => {
    const plan = {
      "Node Type": "ModifyTable",
      Plans: [
        {
          "Node Type": "Tid Scan",
          Plans: [
            {
              "Node Type": "Bitmap Heap Scan",
              Plans: [{ "Node Type": "Bitmap Index Scan", "Index Name": "idx_refresh_tokens_expires" }],
            },
            { "Node Type": "Function Scan" },
            { "Node Type": "Index Scan", "Index Name": "idx_a" },
            { "Node Type": "Index Scan", "Index Name": "idx_a" },
          ],
        },
      ],
    };
    expect(summarizePlan(plan)).toBe("Tid Scan + Bitmap idx_refresh_tokens_expires + Index Scan idx_a");
  });

  it("falls back to the root node's type when nothing scans a table", () => {
    expect(summarizePlan({ "Node Type": "Result" })).toBe("Result");
  });
});

describe("median", () => {
  it("takes the middle value, or the mean of the middle two", () => {
    expect([median([5, 1, 3]), median([4, 1, 3, 2])]).toEqual([3, 2.5]);
  });
});

describe("versusClaim", () => {
  it("places a speedup below, within or above the claimed range", () => {
    const pages = { before: 100, after: 4 };
    expect(["3x", "6x", "12x"].map((s) => versusClaim(Number.parseFloat(s), "5-10x", pages))).toEqual([
      "below",
      "within",
      "above",
    ]);
  });

  it("says 'same work' when the plan read as many pages after as before", () => {
    expect(versusClaim(1.7, "5-10x", { before: 4, after: 4 })).toBe("same work");
  });

  it("has nothing to compare with where the original claimed nothing", () => {
    expect(versusClaim(40, "—", { before: 400, after: 4 })).toBe("—");
  });
});

describe("formatTable", () => {
  it("writes one Markdown row per query with the speedup of the medians", () => {
    const query = BENCH_QUERIES[0]!;
    const table = formatTable([
      {
        query,
        before: { plan: "Seq Scan", medianMs: 10, medianBuffers: 100 },
        after: { plan: "Index Scan x", medianMs: 0.5, medianBuffers: 4 },
      },
    ]);
    expect(table.split("\n")).toHaveLength(3);
    expect(table).toContain("| Seq Scan | Index Scan x | 10.00 | 0.500 | 20.0x | above | 100 → 4 |");
  });
});
