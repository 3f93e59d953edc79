/** What a run reports when a variant or a case cannot run: the reason, never a number. */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { measureEntry } from "../src/http/runner.js";
import { runMicroSuite } from "../src/micro/runner.js";
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
  it("measures the working case and reports the broken one", { timeout: 30_000 }, async () => {
    const result = await runMicroSuite(
      { file: fixture("mixed-suite.ts"), suite, cases: ["works", "broken"], skipped: [] },
      { rounds: 2, minCpuMs: 2, seed: 1, nodeFlags: ["--single-threaded-gc"], log: quiet },
    );
    expect(result.samples.map((s) => [s.name, s.round])).toEqual([
      ["works", 0],
      ["works", 1],
    ]);
    expect(result.samples.every((s) => s.ops > 0 && s.nsPerOp > 0)).toBe(true);
    expect(result.failures).toEqual([{ name: "broken", message: "setup failed: no such peer" }]);
  });
});
