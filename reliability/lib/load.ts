// A bounded HTTP load generator on 127.0.0.1: a fixed number of workers, each sending one request at
// a time until a deadline or a request budget, every request bounded by a client timeout. It records
// one sample per request, so any time slice (before, during, after a fault) can be summarized.
import { Agent, request } from "node:http";

export interface Sample {
  /** When the request was sent, ms since the load started. */
  readonly at: number;
  readonly route: string;
  /** HTTP status, or 0 when no answer came (timeout, reset, refused). */
  readonly status: number;
  readonly latencyMs: number;
  readonly failure?: "timeout" | "error";
  readonly body?: string;
}

export interface Target {
  readonly route: string;
  readonly port: number;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly method?: string;
  readonly body?: string;
}

export interface LoadOptions {
  /** Picks request number `i`. */
  readonly next: (i: number) => Target;
  readonly workers: number;
  readonly durationMs: number;
  /** Stop after this many requests even if time remains. */
  readonly maxRequests?: number;
  readonly timeoutMs?: number;
  /** Keep the response body of requests whose route is listed (`progress` also keeps `progress:3`). */
  readonly keepBodies?: readonly string[];
  /** Pause between two requests of one worker (pacing), ms. */
  readonly pauseMs?: number;
  /** Ends the load early when it returns true (checked before each request). */
  readonly stop?: () => boolean;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** Sends one request; never rejects. */
export function send(target: Target, timeoutMs = 2_000, keepBody = false): Promise<Omit<Sample, "at">> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (sample: Omit<Sample, "at" | "latencyMs" | "route">) => {
      if (settled) return;
      settled = true;
      resolve({ route: target.route, latencyMs: performance.now() - started, ...sample });
    };
    const headers = {
      ...target.headers,
      ...(target.body === undefined ? {} : { "content-type": "application/json" }),
    };
    const req = request(
      {
        host: "127.0.0.1",
        port: target.port,
        path: target.path,
        method: target.method ?? "GET",
        headers,
        agent,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => {
          if (keepBody) chunks.push(chunk);
        });
        res.on("end", () =>
          done({
            status: res.statusCode ?? 0,
            ...(keepBody ? { body: Buffer.concat(chunks).toString("utf8") } : {}),
          }),
        );
        res.on("error", () => done({ status: 0, failure: "error" }));
      },
    );
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      done({ status: 0, failure: "timeout" });
    });
    req.on("error", () => done({ status: 0, failure: "error" }));
    req.end(target.body);
  });
}

/** Runs the load; resolves with every sample once the deadline or the budget is reached. */
export async function runLoad(options: LoadOptions): Promise<Sample[]> {
  const samples: Sample[] = [];
  const start = performance.now();
  const deadline = start + options.durationMs;
  const budget = options.maxRequests ?? Number.POSITIVE_INFINITY;
  let issued = 0;
  const keep = new Set(options.keepBodies ?? []);
  const worker = async () => {
    while (performance.now() < deadline && issued < budget && !options.stop?.()) {
      const i = issued++;
      const target = options.next(i);
      const at = performance.now() - start;
      const keepBody = keep.has(target.route) || keep.has(target.route.split(":")[0] as string);
      const sample = await send(target, options.timeoutMs ?? 2_000, keepBody);
      samples.push({ at, ...sample });
      // A refused connection answers at once: pause so a dead server is not hammered in a tight loop.
      const pause = sample.failure === "error" ? Math.max(options.pauseMs ?? 0, 20) : options.pauseMs;
      if (pause) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  };
  await Promise.all(Array.from({ length: options.workers }, worker));
  return samples;
}

export interface Summary {
  readonly requests: number;
  readonly answered: number;
  readonly statuses: Record<string, number>;
  readonly worstLatencyMs: number;
  readonly p99LatencyMs: number;
}

/** Counts, status mix and worst latency of some samples. */
export function summarize(samples: readonly Sample[]): Summary {
  const statuses: Record<string, number> = {};
  for (const s of samples) {
    const key = s.status === 0 ? (s.failure ?? "error") : String(s.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  const latencies = samples.map((s) => s.latencyMs).sort((a, b) => a - b);
  return {
    requests: samples.length,
    answered: samples.filter((s) => s.status !== 0).length,
    statuses,
    worstLatencyMs: Math.round(latencies.at(-1) ?? 0),
    p99LatencyMs: Math.round(latencies[Math.max(0, Math.ceil(latencies.length * 0.99) - 1)] ?? 0),
  };
}

/** Closes the shared keep-alive connections. */
export function closeAgent(): void {
  agent.destroy();
}
