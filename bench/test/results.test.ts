import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resultFileName, suiteName, writeResults } from "../src/results.js";

const dir = mkdtempSync(join(tmpdir(), "keel-bench-results-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("results", () => {
  it("names a file after the kind, the filters and the UTC time", () => {
    expect(suiteName("micro", ["micro", "cache"])).toBe("micro-cache");
    expect(resultFileName("http-rate limiter", new Date("2025-01-02T03:04:05.678Z"))).toBe(
      "http-rate_limiter-2025-01-02T03-04-05-678Z.json",
    );
  });

  it("writes JSON with missing numbers as null", () => {
    const file = writeResults(dir, "http", { rps: Number.NaN, ok: 1 }, new Date(0));
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ rps: null, ok: 1 });
  });
});
