/**
 * The harness end to end, for real but tiny: bare node:http and its A/A control, each in its own
 * child process, one round of 0.5 s. Asserts counts and that the JSON is written; never a time.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { HttpSample } from "../src/http/runner.js";
import type { HttpRow } from "../src/http/summary.js";
import { main } from "../src/main.js";

const outDir = mkdtempSync(join(tmpdir(), "keel-bench-smoke-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("pnpm run bench node:http --quick", () => {
  it("measures both servers, prints the table and writes the JSON", { timeout: 60_000 }, async () => {
    const printed: string[] = [];
    const outcome = await main(["node:http", "--quick", "--source", "--duration", "0.5", "--out", outDir], {
      out: (text) => printed.push(text),
      log: () => {},
    });

    expect(outcome.failed).toBe(0);
    expect(outcome.files).toHaveLength(1);
    const result = JSON.parse(readFileSync(outcome.files[0]!, "utf8")) as {
      samples: HttpSample[];
      rows: HttpRow[];
    };
    expect(result.samples.map((s) => s.name).sort()).toEqual(["node:http", "node:http (A/A)"]);
    for (const sample of result.samples) {
      expect(sample.requests).toBeGreaterThan(0);
      expect(sample.cpuMicrosPerRequest).toBeGreaterThan(0);
      expect(sample.non2xx + sample.errors).toBe(0);
    }
    const control = result.rows.find((row) => row.name === "node:http (A/A)");
    expect(control?.rpsRatio).toBeGreaterThan(0);
    expect(printed.join("\n")).toContain("| node:http (A/A) | node:http |");
  });
});
