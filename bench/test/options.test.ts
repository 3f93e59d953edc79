import { describe, expect, it } from "vitest";
import { childNodeFlags, DEFAULTS, parseOptions, QUICK } from "../src/options.js";

describe("childNodeFlags", () => {
  it("runs children with a single-threaded GC unless --parallel-gc is given", () => {
    expect(childNodeFlags(parseOptions([], "/out"))).toEqual(["--single-threaded-gc"]);
    expect(childNodeFlags(parseOptions(["--parallel-gc"], "/out"))).toEqual([]);
  });
});

describe("parseOptions", () => {
  it("takes names as filters and applies the defaults", () => {
    const options = parseOptions(["cache", "rate-limiter"], "/out");
    expect(options).toMatchObject({
      filters: ["cache", "rate-limiter"],
      ...DEFAULTS,
      parallelGc: false,
      source: false,
      outDir: "/out",
      help: false,
    });
    expect(Number.isInteger(options.seed)).toBe(true);
  });

  it("applies --quick, and lets explicit flags override it", () => {
    expect(parseOptions(["--quick"], "/out")).toMatchObject(QUICK);
    expect(parseOptions(["--quick", "--rounds", "2"], "/out")).toMatchObject({ ...QUICK, rounds: 2 });
  });

  it("reads every flag", () => {
    const argv = ["--rounds=5", "--duration=2.5", "--warmup=0", "--connections=4", "--pipelining=2"];
    const options = parseOptions(
      [...argv, "--min-cpu-ms=50", "--seed=9", "--out=/tmp/x", "--source"],
      "/out",
    );
    expect(options).toMatchObject({
      rounds: 5,
      durationSec: 2.5,
      warmupSec: 0,
      connections: 4,
      pipelining: 2,
      minCpuMs: 50,
      seed: 9,
      source: true,
      outDir: "/tmp/x",
    });
  });

  it("refuses a value that is not a positive number, naming the flag", () => {
    expect(() => parseOptions(["--rounds", "0"], "/out")).toThrow(
      /--rounds must be a positive integer, got "0"/,
    );
    expect(() => parseOptions(["--duration", "soon"], "/out")).toThrow(/--duration/);
    expect(() => parseOptions(["--rounds", "1.5"], "/out")).toThrow(/--rounds/);
  });
});
