/** Command-line options of `pnpm run bench`, with their defaults and the `--quick` preset. */
import { parseArgs } from "node:util";

/** Everything a run is configured by. */
export interface BenchOptions {
  /** Names to match (kind, group, suite, framework or entry name); empty means everything. */
  filters: string[];
  rounds: number;
  /** HTTP: seconds measured per variant per round. */
  durationSec: number;
  /** HTTP: seconds of unmeasured load before each measurement. */
  warmupSec: number;
  connections: number;
  pipelining: number;
  /** Micro: minimum measured milliseconds per case per round. */
  minCpuMs: number;
  seed: number;
  /** Run children with V8's default parallel garbage collector instead of a single-threaded one. */
  parallelGc: boolean;
  /**
   * Run the Keel packages' TypeScript sources (the `@keel/source` condition, through tsx) instead
   * of their builds. Faster to start (no build) but not what users run: tsx adds a `__name` call
   * per closure created, which showed up as several µs per request in the middleware benchmarks.
   */
  source: boolean;
  /** Folder the JSON results are written to. */
  outDir: string;
  help: boolean;
}

/**
 * The defaults of a full run: about 4.5 minutes for the baselines on 2 cores. Five short rounds give
 * steadier medians on a shared machine than three long ones, for about the same time.
 */
export const DEFAULTS = {
  rounds: 5,
  durationSec: 2,
  warmupSec: 1,
  connections: 10,
  pipelining: 1,
  minCpuMs: 200,
};

/** `--quick`: a smoke run, one short round of everything. */
export const QUICK = { rounds: 1, durationSec: 0.5, warmupSec: 0.2, minCpuMs: 20 };

/** The `--help` text. */
export const USAGE = `Usage: pnpm run bench [names...] [options]

  names              run only what matches: http, micro, a group (cache, rate-limiter,
                     perf-monitor, frameworks), a suite (cache-get), a framework or a variant
  --rounds N         rounds of interleaved measurements (default ${DEFAULTS.rounds})
  --duration S       HTTP seconds measured per variant per round (default ${DEFAULTS.durationSec})
  --warmup S         HTTP seconds of load before each measurement (default ${DEFAULTS.warmupSec})
  --connections N    HTTP concurrent connections (default ${DEFAULTS.connections})
  --pipelining N     HTTP requests in flight per connection (default ${DEFAULTS.pipelining})
  --min-cpu-ms N     micro milliseconds measured per case per round (default ${DEFAULTS.minCpuMs})
  --seed N           seed of the shuffled order (default: random, printed)
  --quick            smoke run: 1 round, ${QUICK.durationSec} s per variant, ${QUICK.minCpuMs} ms per case
  --parallel-gc      run servers and suites with V8's parallel GC (default: single-threaded GC,
                     whose CPU time does not inflate when the machine is busy)
  --source           run the Keel packages from their TypeScript sources (default: build them
                     first and run the builds, the code users install)
  --out DIR          where the JSON results go (default bench/results)
`;

function positive(name: string, text: string | undefined, fallback: number, integer: boolean): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} must be a positive ${integer ? "integer" : "number"}, got "${text}"`);
  }
  return value;
}

/** Parses `argv` (without node and the script), applying `--quick` before explicit flags. */
export function parseOptions(argv: readonly string[], defaultOutDir: string): BenchOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      rounds: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      pipelining: { type: "string" },
      "min-cpu-ms": { type: "string" },
      seed: { type: "string" },
      quick: { type: "boolean", default: false },
      "parallel-gc": { type: "boolean", default: false },
      source: { type: "boolean", default: false },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const base = values.quick ? { ...DEFAULTS, ...QUICK } : DEFAULTS;
  const warmup = values.warmup === "0" ? 0 : positive("warmup", values.warmup, base.warmupSec, false);
  return {
    filters: positionals,
    rounds: positive("rounds", values.rounds, base.rounds, true),
    durationSec: positive("duration", values.duration, base.durationSec, false),
    warmupSec: warmup,
    connections: positive("connections", values.connections, base.connections, true),
    pipelining: positive("pipelining", values.pipelining, base.pipelining, true),
    minCpuMs: positive("min-cpu-ms", values["min-cpu-ms"], base.minCpuMs, false),
    seed: positive("seed", values.seed, Math.floor(Math.random() * 2 ** 31) + 1, true),
    parallelGc: values["parallel-gc"],
    source: values.source,
    outDir: values.out ?? defaultOutDir,
    help: values.help,
  };
}

/**
 * Node flags for every measured child process. By default `--single-threaded-gc`: V8's parallel
 * scavenger threads spin while they wait for each other, and on a busy machine (a helper thread
 * descheduled) that spinning is counted as the server's CPU. Measured here with load 13 on 2 cores,
 * bare Express read 145-193 µs/req with parallel GC and 135-147 with a single-threaded one.
 */
export function childNodeFlags(options: Pick<BenchOptions, "parallelGc" | "source">): string[] {
  return [
    ...(options.parallelGc ? [] : ["--single-threaded-gc"]),
    ...(options.source ? ["--conditions=@keel/source"] : []),
  ];
}
