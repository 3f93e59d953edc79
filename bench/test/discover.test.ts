import { describe, expect, it } from "vitest";
import { discoverHttp, discoverMeasure, discoverMicro } from "../src/discover.js";
import { selectHttp } from "../src/select.js";

describe("the variant and suite files in this folder", () => {
  it("are all valid HTTP variants, each comparable with a baseline", async () => {
    const entries = await discoverHttp();
    expect(entries.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        "node:http",
        "express",
        "fastify",
        "hono",
        "koa",
        "apicache (hit)",
        "response-time",
        "@keel/cache (hit)",
        "@keel/rate-limiter (memory)",
        "@keel/rate-limiter (redis)",
        "@keel/perf-monitor",
      ]),
    );
    expect(() => selectHttp(entries, [])).not.toThrow();
  });

  it("are all valid micro suites whose baseline is one of their cases", async () => {
    const suites = await discoverMicro();
    expect(suites.map((s) => s.suite.name)).toEqual(
      expect.arrayContaining(["cache-get", "cache-set", "rate-limit-check", "metric-record"]),
    );
  });

  it("are all valid measure suites, each with its columns", async () => {
    const suites = await discoverMeasure();
    expect(suites.map((s) => s.suite.name)).toEqual(
      expect.arrayContaining(["rate-limit-memory", "metric-memory", "get-or-set", "rate-limit-commands"]),
    );
  });
});
