/**
 * The HTTP measurement loop: rounds of shuffled entries; per entry a fresh child process, a warmup,
 * then one measured drive bracketed by the child's CPU readings.
 */

import { ChildChannel } from "../child.js";
import { schedule } from "../schedule.js";
import type { HttpEntry } from "./entry.js";
import { drive } from "./load.js";
import type { ChildMessage, ParentMessage } from "./protocol.js";

/** How an HTTP run is driven. */
export interface HttpRunOptions {
  rounds: number;
  /** Seconds measured per entry per round. */
  durationSec: number;
  /** Seconds of unmeasured load first, so the JIT has settled. */
  warmupSec: number;
  connections: number;
  pipelining: number;
  /** Seed of the shuffled order. */
  seed: number;
  /** Node flags for the server processes (`childNodeFlags` in options.ts). */
  nodeFlags: readonly string[];
  /** Progress lines go here. */
  log: (line: string) => void;
}

/** One entry measured in one round. */
export interface HttpSample {
  round: number;
  name: string;
  requests: number;
  durationSec: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  cpuUserMicros: number;
  cpuSystemMicros: number;
  /** Server CPU (user + system) divided by requests served. */
  cpuMicrosPerRequest: number;
  non2xx: number;
  errors: number;
  /** The variant's counters over the measurement (totals, not per request). */
  counters: Record<string, number>;
}

const SERVER_TIMEOUT_MS = 30_000;
const serverEntry = new URL("./server-child.ts", import.meta.url);

/** Measures one entry once, in a child process of its own. */
export async function measureEntry(
  entry: HttpEntry,
  round: number,
  options: HttpRunOptions,
): Promise<HttpSample> {
  const server = ChildChannel.start<ChildMessage, ParentMessage>(serverEntry, [entry.file], {
    nodeFlags: options.nodeFlags,
  });
  try {
    const { port } = await server.expect("ready", SERVER_TIMEOUT_MS);
    const url = `http://127.0.0.1:${port}${entry.path}`;
    const load = { connections: options.connections, pipelining: options.pipelining };
    if (options.warmupSec > 0) await drive(url, { ...load, durationSec: options.warmupSec });
    server.send({ type: "begin" });
    await server.expect("begun", SERVER_TIMEOUT_MS);
    const result = await drive(url, { ...load, durationSec: options.durationSec });
    server.send({ type: "end" });
    const cpu = await server.expect("ended", SERVER_TIMEOUT_MS);
    server.send({ type: "close" });
    await server.stop(5_000);
    return {
      round,
      name: entry.name,
      ...result,
      cpuUserMicros: cpu.cpuUserMicros,
      cpuSystemMicros: cpu.cpuSystemMicros,
      cpuMicrosPerRequest: (cpu.cpuUserMicros + cpu.cpuSystemMicros) / result.requests,
      counters: cpu.counters,
    };
  } finally {
    server.child.kill("SIGKILL");
  }
}

/** An entry that could not be measured in a round, and why. */
export interface HttpFailure {
  round: number;
  name: string;
  message: string;
}

/**
 * Runs every entry once per round, in a new shuffled order each round. An entry that fails is
 * recorded and reported, and the run goes on with the others.
 */
export async function runHttp(
  entries: readonly HttpEntry[],
  options: HttpRunOptions,
): Promise<{ samples: HttpSample[]; failures: HttpFailure[] }> {
  const samples: HttpSample[] = [];
  const failures: HttpFailure[] = [];
  const order = schedule(entries, options.rounds, options.seed);
  for (const [round, entriesInRound] of order.entries()) {
    for (const [index, entry] of entriesInRound.entries()) {
      const where = `[http round ${round + 1}/${options.rounds}, ${index + 1}/${entriesInRound.length}] ${entry.name}`;
      try {
        const sample = await measureEntry(entry, round, options);
        samples.push(sample);
        options.log(
          `${where}: ${Math.round(sample.rps)} req/s, ${sample.cpuMicrosPerRequest.toFixed(1)} us/req CPU, ` +
            `p99 ${sample.p99Ms.toFixed(2)} ms`,
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        failures.push({ round, name: entry.name, message });
        options.log(`${where}: FAILED ${message}`);
      }
    }
  }
  return { samples, failures };
}
