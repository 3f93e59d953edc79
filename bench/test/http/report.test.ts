import { describe, expect, it } from "vitest";
import { formatHttpTable, type HttpTableRow } from "../../src/http/report.js";

function row(name: string, extra: Partial<HttpTableRow> = {}): HttpTableRow {
  return {
    name,
    group: "rate-limiter",
    framework: "express",
    baseline: "express",
    control: false,
    rounds: 3,
    rps: 10_000,
    rpsRatio: 0.9,
    p99Ms: 1.5,
    p99DiffMs: 0.25,
    cpuMicrosPerRequest: 60,
    cpuRange: { min: 55, max: 71 },
    cpuDiffMicros: 12.34,
    countersPerRequest: {},
    bad: 0,
    ...extra,
  };
}

describe("formatHttpTable", () => {
  it("shows each column's median and the comparison with the baseline", () => {
    const [header, , line] = formatHttpTable([row("limiter")]).split("\n");
    expect(header).toMatch(
      /variant .*vs .*req\/s .*req\/s vs .*p99 ms .*Δp99 ms .*CPU µs\/req .*ΔCPU µs\/req .*note/,
    );
    expect(line).toMatch(/limiter .*express .*10,000 .*0\.90x .*1\.50 .*\+0\.25 .*60\.0 .*55-71 .*\+12\.3/);
  });

  it("adds a per-request column for each counter any row reports", () => {
    const table = formatHttpTable([
      row("express"),
      row("redis limiter", { countersPerRequest: { redisCommands: 1 } }),
    ]);
    expect(table.split("\n")[0]).toContain("redisCommands/req");
    expect(table).toMatch(/redis limiter .*1\.00 \|/);
    expect(table).toMatch(/\| express .*n\/a \|/);
  });

  it("notes controls, root baselines, bad responses and problems", () => {
    const table = formatHttpTable([
      row("node:http", { baseline: "node:http" }),
      row("express (A/A)", { control: true }),
      row("flaky", { bad: 1234, problem: "failed in 1 of 3 rounds" }),
    ]);
    expect(table).toContain("root baseline");
    expect(table).toContain("A/A control");
    expect(table).toContain("1,234 non-2xx or errors; failed in 1 of 3 rounds");
  });
});
