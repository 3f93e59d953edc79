import { describe, expect, it } from "vitest";
import { formatMeasureTable, measureRows } from "../../src/measure/report.js";
import type { MeasureSuite } from "../../src/measure/suite.js";

const suite: MeasureSuite = {
  name: "memory",
  group: "test",
  title: "bytes",
  columns: [
    { key: "keys", header: "keys" },
    { key: "bytesPerKey", header: "bytes/key", digits: 1 },
  ],
  baseline: "peer",
  compare: "bytesPerKey",
  cases: ["peer", "ours", "remote", "broken"].map((name) => ({ name, run: async () => ({ values: {} }) })),
};

describe("measure rows", () => {
  const results = new Map([
    ["peer", { values: { keys: 1000, bytesPerKey: 200 } }],
    ["ours", { values: { keys: 1000, bytesPerKey: 150 }, note: "max 1,000" }],
  ]);
  const problems = new Map([
    ["remote", "skipped: redis-server not available"],
    ["broken", "failed: no such peer"],
  ]);
  const rows = measureRows(suite, ["peer", "ours", "remote", "broken"], results, problems);

  it("compare each case with the baseline on the suite's compare column", () => {
    expect(rows.map((row) => row.ratio)).toEqual([1, 0.75, Number.NaN, Number.NaN]);
  });

  it("note the baseline, the case's own note, skips and failures", () => {
    expect(rows.map((row) => row.note)).toEqual([
      "baseline",
      "max 1,000",
      "skipped: redis-server not available",
      "failed: no such peer",
    ]);
  });

  it("print missing numbers as n/a and the ratio column after the suite's columns", () => {
    const table = formatMeasureTable(suite, rows);
    expect(table.split("\n")[0]).toMatch(/\| case +\| +keys \| bytes\/key \| bytes\/key vs base \| note +\|/);
    expect(table).toContain("| ours   | 1,000 |     150.0 |             0.75x | max 1,000");
    expect(table).toMatch(/\| remote +\|\s+n\/a \|\s+n\/a \|\s+n\/a \| skipped/);
  });
});
