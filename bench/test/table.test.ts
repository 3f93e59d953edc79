import { describe, expect, it } from "vitest";
import { fixed, formatTable, signed, spread, times } from "../src/table.js";

describe("formatTable", () => {
  const rows = [
    { name: "express", rps: 12345.6 },
    { name: "node:http", rps: 9 },
  ];
  const table = formatTable(
    [
      { header: "variant", cell: (row: (typeof rows)[number]) => row.name },
      { header: "req/s", align: "right", cell: (row: (typeof rows)[number]) => fixed(row.rps) },
    ],
    rows,
  );

  it("renders a Markdown table with a header, a rule and one line per row", () => {
    expect(table.split("\n")).toEqual([
      "| variant   |  req/s |",
      "|-----------|-------:|",
      "| express   | 12,346 |",
      "| node:http |      9 |",
    ]);
  });

  it("pads every line to the same width", () => {
    const widths = new Set(table.split("\n").map((line) => line.length));
    expect(widths.size).toBe(1);
  });
});

describe("number cells", () => {
  it("groups thousands and fixes decimals", () => {
    expect(fixed(1234567.891, 1)).toBe("1,234,567.9");
    expect(fixed(0.5)).toBe("1");
  });

  it("prints ratios as multipliers", () => {
    expect(times(1.034)).toBe("1.03x");
  });

  it("always shows the sign of a difference, and never -0", () => {
    expect(signed(2.34)).toBe("+2.3");
    expect(signed(-0.46)).toBe("-0.5");
    expect(signed(-0.01)).toBe("+0.0");
  });

  it("prints a range as low-high, or one value when both round the same", () => {
    expect(spread(133.2, 1199.7)).toBe("133-1,200");
    expect(spread(20.1, 20.4)).toBe("20");
    expect(spread(Number.NaN, 3)).toBe("n/a");
  });

  it("prints n/a for missing numbers, never 0", () => {
    expect(fixed(Number.NaN)).toBe("n/a");
    expect(times(Number.NaN)).toBe("n/a");
    expect(signed(Number.POSITIVE_INFINITY)).toBe("n/a");
  });
});
