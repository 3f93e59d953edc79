/** What a run reports when a variant or a case cannot run: the reason, never a number. */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { measureEntry } from "../src/http/runner.js";
import { runMeasureCase } from "../src/measure/runner.js";
import { runMicroSuite } from "../src/micro/runner.js";
import { suite as measureSuite } from "./fixtures/measure-suite.js";
import { suite } from "./fixtures/mixed-suite.js";

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const quiet = () => {};

describe("a failing HTTP variant", () => {
  it("rejects with the error its child process reported", { timeout: 30_000 }, async () => {
    const entry = {
      name: "failing",
      group: "test",
      framework: "node" as const,
      baseline: "failing",
      path: "/",
      requires: [],
      file: fixture("failing-variant.ts"),
      control: false,
    };
    const options = {
      rounds: 1,
      durationSec: 0.1,
      warmupSec: 0,
      connections: 1,
      pipelining: 1,
      seed: 1,
      nodeFlags: ["--single-threaded-gc"],
      log: quiet,
    };
    await expect(measureEntry(entry, 0, options)).rejects.toThrow(/the database is not there/);
  });
});

describe("a micro suite with a broken case", () => {
  it("measures the working cases, tears down after the last round and reports what broke", {
    timeout: 30_000,
  }, async () => {
    const result = await runMicroSuite(
      { file: fixture("mixed-suite.ts"), suite, cases: ["works", "torn down", "broken"], skipped: [] },
      { rounds: 2, minCpuMs: 2, seed: 1, nodeFlags: ["--single-threaded-gc"], log: quiet },
    );
    const works = result.samples.filter((s) => s.name === "works");
    expect(works.map((s) => s.round)).toEqual([0, 1]);
    expect(result.samples.filter((s) => s.name === "torn down")).toHaveLength(2);
    expect(result.samples.every((s) => s.ops > 0 && s.nsPerOp > 0)).toBe(true);
    expect(result.failures).toEqual([
      { name: "broken", message: "setup failed: no such peer" },
      { name: "torn down", message: "teardown failed: could not delete its keys" },
    ]);
  });
});

describe("a measure suite", () => {
  const selection = {
    file: fixture("measure-suite.ts"),
    suite: measureSuite,
    cases: ["works", "broken", "stuck"],
    skipped: [],
  };
  const flags = ["--single-threaded-gc"];

  it("reports a case's values, measured in a child with a garbage collector to call", {
    timeout: 30_000,
  }, async () => {
    expect(await runMeasureCase(selection, "works", flags)).toEqual({
      name: "works",
      result: { values: { bytes: 100, gc: 1 } },
    });
  });

  it("reports the error of a case that throws", { timeout: 30_000 }, async () => {
    const outcome = await runMeasureCase(selection, "broken", flags);
    expect("error" in outcome && outcome.error).toMatch(/no such peer/);
  });

  it("gives up on a case that never answers, from inside the child", { timeout: 30_000 }, async () => {
    const outcome = await runMeasureCase(selection, "stuck", flags);
    expect("error" in outcome && outcome.error).toMatch(/gave up after/);
  });
});
