/**
 * One benchmark run: discovers the HTTP variants, micro and measure suites, runs those the names select,
 * prints the ratio tables and writes JSON under bench/results/. `cli.ts` calls it with process.argv.
 */
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { benchRoot, discoverHttp, discoverMeasure, discoverMicro } from "./discover.js";
import { runHttpSuite } from "./http/suite.js";
import type { Io } from "./io.js";
import { runMeasureSuites } from "./measure/suites.js";
import { runMicroSuites } from "./micro/suites.js";
import { parseOptions, USAGE } from "./options.js";

/** What a run wrote, and how many measurements failed. */
export interface BenchOutcome {
  files: string[];
  failed: number;
}

/** Runs the benchmark with command-line arguments `argv`. */
export async function main(argv: readonly string[], io: Io): Promise<BenchOutcome> {
  const options = parseOptions(argv, join(benchRoot, "results"));
  if (options.help) {
    io.out(USAGE);
    return { files: [], failed: 0 };
  }
  if (!options.source) buildPackages(io);
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  const http = await runHttpSuite(await discoverHttp(), options, io);
  const micro = await runMicroSuites(await discoverMicro(), options, io);
  const measure = await runMeasureSuites(await discoverMeasure(), options, io);
  const files = [http.file, micro.file, measure.file].filter((file): file is string => file !== undefined);
  if (files.length === 0) throw new Error(`nothing matches ${options.filters.join(", ")}: see --help`);
  const cores = cpus().length;
  const loads = `${loadBefore.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end, on ${cores} cores`;
  const busy = Math.max(loadBefore, loadavg()[0]!) > cores ? ": busy, expect wide A/A rows and ranges" : "";
  io.out(`\nload average (1 min): ${loads}${busy}`);
  io.out(`wrote ${files.join(", ")} in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  return { files, failed: http.failed + micro.failed + measure.failed };
}

/** Builds every Keel package, so the children run the code users install (see `--source`). */
function buildPackages(io: Io): void {
  io.log("building the packages (pnpm -r --filter ./packages/* build; --source skips this)");
  const built = spawnSync("pnpm", ["-r", "--filter", "./packages/*", "run", "build"], {
    cwd: join(benchRoot, ".."),
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
  });
  if (built.status !== 0) {
    throw new Error(
      `building the packages failed (run with --source to bench the sources):\n${built.stderr ?? built.error}`,
    );
  }
}
