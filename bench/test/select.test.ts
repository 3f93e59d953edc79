import { describe, expect, it } from "vitest";
import type { HttpEntry } from "../src/http/entry.js";
import type { MeasureSuite } from "../src/measure/suite.js";
import type { MicroSuite } from "../src/micro/suite.js";
import { blockedBy, httpTables, matches, selectHttp, selectMeasure, selectMicro } from "../src/select.js";

function entry(
  name: string,
  group: string,
  baseline: string,
  framework: HttpEntry["framework"] = "express",
): HttpEntry {
  return {
    name,
    group,
    framework,
    baseline,
    path: "/",
    requires: [],
    file: `/bench/http/${group}/${name}.ts`,
    control: false,
  };
}

const all = [
  entry("express", "frameworks", "node:http"),
  entry("fastify", "frameworks", "node:http", "fastify"),
  entry("node:http", "frameworks", "node:http", "node"),
  entry("express-rate-limit", "rate-limiter", "express"),
  entry("response-time", "perf-monitor", "express"),
];

describe("matches", () => {
  it("matches everything when there are no filters", () => {
    expect(matches([], ["anything"])).toBe(true);
  });

  it("matches a filter contained in any label, ignoring case", () => {
    expect(matches(["Rate"], ["http", "rate-limiter"])).toBe(true);
    expect(matches(["cache"], ["http", "rate-limiter"])).toBe(false);
  });
});

describe("selectHttp", () => {
  it("brings along the baselines of matched variants, transitively, marked as added", () => {
    const names = selectHttp(all, ["rate-limiter"]).map((e) => [e.name, e.added]);
    expect(names).toContainEqual(["express-rate-limit", false]);
    expect(names).toContainEqual(["express", true]);
    expect(names).toContainEqual(["node:http", true]);
    expect(names.map(([name]) => name)).not.toContain("fastify");
  });

  it("adds one A/A control per baseline, compared with that baseline", () => {
    const controls = selectHttp(all, []).filter((e) => e.control);
    expect(controls.map((e) => [e.name, e.baseline])).toEqual([
      ["node:http (A/A)", "node:http"],
      ["express (A/A)", "express"],
    ]);
  });

  it("orders baselines root first, each followed by its control, then the rest", () => {
    expect(selectHttp(all, []).map((e) => e.name)).toEqual([
      "node:http",
      "node:http (A/A)",
      "express",
      "express (A/A)",
      "fastify",
      "express-rate-limit",
      "response-time",
    ]);
  });

  it("refuses a variant whose baseline no file defines", () => {
    expect(() => selectHttp([entry("orphan", "cache", "nowhere")], [])).toThrow(/names baseline "nowhere"/);
  });

  it("refuses a cycle of baselines", () => {
    const cycle = [entry("a", "x", "b"), entry("b", "x", "a"), entry("c", "x", "a")];
    expect(() => selectHttp(cycle, [])).toThrow(/cycle/);
  });

  it("selects nothing when nothing matches", () => {
    expect(selectHttp(all, ["no-such-thing"])).toEqual([]);
  });
});

describe("httpTables", () => {
  it("prints one table per matched group, each with the baselines it is compared with", () => {
    const tables = httpTables(selectHttp(all, ["rate-limiter", "perf-monitor"]));
    expect(tables.map((t) => [t.group, t.entries.map((e) => e.name)])).toEqual([
      ["rate-limiter", ["express", "express (A/A)", "express-rate-limit"]],
      ["perf-monitor", ["express", "express (A/A)", "response-time"]],
    ]);
  });
});

describe("selectMicro", () => {
  const suite: MicroSuite = {
    name: "cache-get",
    group: "cache",
    title: "get",
    baseline: "raw",
    cases: [
      { name: "raw", setup: () => () => 1 },
      { name: "peer", setup: () => () => 2 },
      { name: "remote", requires: ["redis"], setup: () => () => 3 },
      { name: "broken here", unavailable: "needs Node 22", setup: () => () => 4 },
    ],
  };
  const suites = [{ file: "/bench/micro/cache-get.ts", suite }];

  it("runs a whole suite matched by name or group, skipping what cannot run here, with reasons", () => {
    const [selection] = selectMicro(suites, ["cache"], new Set(["redis"]));
    expect(selection?.cases).toEqual(["raw", "peer"]);
    expect(selection?.skipped).toEqual([
      { name: "remote", reason: "skipped: redis not available" },
      { name: "broken here", reason: "not run: needs Node 22" },
    ]);
  });

  it("runs a case matched by name together with the baseline", () => {
    expect(selectMicro(suites, ["peer"], new Set())[0]?.cases).toEqual(["raw", "peer"]);
  });

  it("skips a suite in which only the baseline matched", () => {
    expect(selectMicro(suites, ["raw"], new Set())).toEqual([]);
  });
});

describe("selectMeasure", () => {
  const run = async () => ({ values: {} });
  const suite: MeasureSuite = {
    name: "rate-limit-memory",
    group: "rate-limiter",
    title: "bytes per key",
    columns: [{ key: "bytes", header: "bytes" }],
    baseline: "peer",
    cases: [
      { name: "peer", run },
      { name: "ours", run },
      { name: "private redis", requires: ["redis-server"], run },
    ],
  };
  const suites = [{ file: "/bench/measure/rate-limit-memory.ts", suite }];

  it("runs a whole suite matched by kind or group, skipping cases whose service is missing", () => {
    for (const filter of ["measure", "rate-limiter"]) {
      const [selection] = selectMeasure(suites, [filter], new Set(["redis-server"]));
      expect(selection?.cases).toEqual(["peer", "ours"]);
      expect(selection?.skipped).toEqual([
        { name: "private redis", reason: "skipped: redis-server not available" },
      ]);
    }
  });

  it("runs a case matched by name together with the baseline, and nothing for other groups", () => {
    expect(selectMeasure(suites, ["ours"], new Set())[0]?.cases).toEqual(["peer", "ours"]);
    expect(selectMeasure(suites, ["cache"], new Set())).toEqual([]);
  });
});

describe("blockedBy", () => {
  it("names the services that are down", () => {
    expect(blockedBy(["redis"], new Set(["redis"]))).toBe("skipped: redis not available");
    expect(blockedBy(["redis"], new Set())).toBeUndefined();
    expect(blockedBy(undefined, new Set(["redis"]))).toBeUndefined();
  });
});
