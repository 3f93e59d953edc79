// One fault, measured: load runs before, during and after it; the fault is injected, held, lifted;
// probes then tell when the system works again. Everything is bounded in time.
import {
  type LoadOptions,
  runLoad,
  type Sample,
  type Summary,
  send,
  summarize,
  type Target,
} from "./load.js";
import { sleep } from "./report.js";

export interface Fault {
  readonly name: string;
  readonly what: string;
  /** Starts the fault. */
  inject(): Promise<void>;
  /** Ends it; resolves once the dependency is back (e.g. redis-server answers PING again). */
  lift(): Promise<void>;
}

export interface FaultTimeline {
  readonly warmMs: number;
  readonly holdMs: number;
  /** Longest wait for recovery after the lift. */
  readonly recoverMaxMs: number;
  /** Load kept running after recovery. */
  readonly tailMs: number;
}

export interface FaultResult {
  readonly fault: string;
  readonly what: string;
  /** By route: requests sent from injection until recovery (or the end of the wait). */
  during: Record<string, Summary>;
  /** By route: requests sent after recovery. */
  readonly after: Record<string, Summary>;
  /** From the lift until every probe answered OK; undefined when that never happened in time. */
  readonly recoveryMs: number | undefined;
  readonly injectedAt: number;
  readonly liftedAt: number;
  readonly samples: number;
  /** Probe requests sent while waiting for recovery. */
  readonly probesSent: number;
  /** Every 5xx answer of the run (with its body when the route's bodies were kept). */
  readonly fiveHundreds: Sample[];
}

/** A probe: answers true once the system works again (`n` counts attempts). */
export interface Probe {
  readonly name: string;
  run(n: number): Promise<boolean>;
}

/** A probe that is one request, OK when `ok` says so. */
export function requestProbe(
  name: string,
  target: (n: number) => Target,
  ok: (status: number, body: string | undefined) => boolean,
): Probe {
  return {
    name,
    async run(n) {
      const answer = await send(target(n), 1_000, true);
      return ok(answer.status, answer.body);
    },
  };
}

function byRoute(samples: readonly Sample[]): Record<string, Summary> {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const list = groups.get(s.route) ?? [];
    list.push(s);
    groups.set(s.route, list);
  }
  const out: Record<string, Summary> = { all: summarize(samples) };
  for (const [route, list] of [...groups].sort(([a], [b]) => a.localeCompare(b)))
    out[route] = summarize(list);
  return out;
}

/**
 * Waits until every probe answers OK (polling every 25 ms); resolves with the time it took (undefined
 * when that did not happen within `maxMs`) and how many probe requests were sent.
 */
export async function waitForRecovery(
  probes: readonly Probe[],
  maxMs: number,
): Promise<{ ms: number | undefined; sent: number }> {
  const start = performance.now();
  const pending = new Set(probes);
  let sent = 0;
  for (let n = 0; performance.now() - start < maxMs; n++) {
    for (const probe of [...pending]) {
      sent++;
      if (await probe.run(n)) pending.delete(probe);
    }
    if (pending.size === 0) return { ms: Math.round(performance.now() - start), sent };
    await sleep(25);
  }
  return { ms: undefined, sent };
}

/** Runs `fault` under `load` and measures it. */
export async function measureFault(
  fault: Fault,
  load: Omit<LoadOptions, "durationMs">,
  probes: readonly Probe[],
  timeline: FaultTimeline,
): Promise<FaultResult> {
  const start = performance.now();
  const total = timeline.warmMs + timeline.holdMs + timeline.recoverMaxMs + timeline.tailMs + 2_000;
  let stop = false;
  const loading = runLoad({ ...load, durationMs: total, stop: () => stop });
  const controller = (async () => {
    await sleep(timeline.warmMs);
    const injectedAt = performance.now() - start;
    await fault.inject();
    await sleep(timeline.holdMs);
    await fault.lift();
    const liftedAt = performance.now() - start;
    const recovery = await waitForRecovery(probes, timeline.recoverMaxMs);
    const recoveredAt = performance.now() - start;
    await sleep(timeline.tailMs);
    stop = true;
    return { injectedAt, liftedAt, recoveryMs: recovery.ms, probesSent: recovery.sent, recoveredAt };
  })();
  const { injectedAt, liftedAt, recoveryMs, probesSent, recoveredAt } = await controller;
  const samples = await loading;
  return {
    fault: fault.name,
    what: fault.what,
    during: byRoute(samples.filter((s) => s.at >= injectedAt && s.at < recoveredAt)),
    after: byRoute(samples.filter((s) => s.at >= recoveredAt)),
    recoveryMs,
    injectedAt: Math.round(injectedAt),
    liftedAt: Math.round(liftedAt),
    samples: samples.length,
    probesSent,
    fiveHundreds: samples.filter((s) => s.status >= 500),
  };
}
