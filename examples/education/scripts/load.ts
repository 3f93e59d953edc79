// pnpm --filter education load [--cold 2] [--duration 5] [--connections 10] [--users 20]
//
// Starts the API twice in child processes on 127.0.0.1 (response cache on, then CACHE=off), signs
// up learners, and drives each route with autocannon: first "cold" (its first seconds, against an
// empty cache on a fresh process), then "warm" (the seconds after that). It counts X-Cache on
// every response for the hit ratio, reads the server's CPU time from /proc, and prints a Markdown
// table. Every run is bounded in seconds, and only 127.0.0.1 is ever contacted.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "10" },
    cold: { type: "string", default: "2" },
    users: { type: "string", default: "20" },
  },
});
const bounded = (name: string, raw: string, max: number) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new Error(`--${name} must be a whole number from 1 to ${max}`);
  return n;
};
const DURATION = bounded("duration", values.duration, 60);
const CONNECTIONS = bounded("connections", values.connections, 100);
const COLD = bounded("cold", values.cold, 60);
const USERS = bounded("users", values.users, 200);
const EXAMPLE = fileURLToPath(new URL("..", import.meta.url));

interface Server {
  url: string;
  child: ChildProcess;
}

function startServer(cache: boolean): Promise<Server> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@keel/source", "src/main.ts"], {
    cwd: EXAMPLE,
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: "0",
      PGLITE_DATA_DIR: process.env.DATABASE_URL ? "" : "memory://",
      // The limits would refuse a load test; the middleware still runs and counts every request.
      RATE_LIMIT: "1000000000",
      AUTH_RATE_LIMIT: "1000000000",
      JOBS: "off",
      CACHE: cache ? "on" : "off",
      TOKEN_SECRET: "load-test-secret-load-test-secret-0000",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start within 120 s")), 120_000);
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, child });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before listening:\n${output}`));
    });
  });
}

function stopServer({ child }: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

async function signUpLearners(url: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${url}/api/auth/signup`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: `load-${i}-${Date.now()}@example.test`, password: "load-test-password" }),
    });
    if (res.status !== 201) throw new Error(`sign-up answered ${res.status}: ${await res.text()}`);
    tokens.push(((await res.json()) as { data: { accessToken: string } }).data.accessToken);
    // Some progress, so /progress has rows to read.
    await fetch(`${url}/api/education/progress`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${tokens[i]}` },
      body: JSON.stringify({ moduleSlug: "javascript-fundamentals", progressPercent: (i * 7) % 100 }),
    });
  }
  return tokens;
}

interface Route {
  name: string;
  paths: string[];
  /** Send no token: no authentication lookup, the limiter keys on the address. */
  anonymous?: boolean;
}

const ROUTES: Route[] = [
  { name: "GET /modules (anonymous)", paths: ["/api/education/modules"], anonymous: true },
  { name: "GET /modules (signed in)", paths: ["/api/education/modules"] },
  {
    name: "GET /tutorials/:slug",
    paths: ["build-a-rest-api", "indexing-postgres", "write-your-first-contract"].map(
      (s) => `/api/education/tutorials/${s}`,
    ),
  },
  { name: "GET /progress (per user)", paths: ["/api/education/progress"] },
];

// The server's own CPU time (user + system), from /proc: unlike req/s it barely depends on what
// else the machine runs. Linux only; 100 ticks a second (getconf CLK_TCK).
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

interface Row {
  route: string;
  cache: string;
  phase: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  hitRatio: string;
  errors: number;
  cpuPerRequest: string;
}

async function drive(
  server: Server,
  route: Route,
  tokens: string[],
  phase: "cold" | "warm",
  cache: boolean,
): Promise<Row> {
  let n = 0;
  const seen = { hit: 0, miss: 0 };
  const started = performance.now();
  const cpuBefore = cpuMs(server.child.pid);
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: phase === "cold" ? COLD : DURATION,
    requests: [
      {
        method: "GET",
        setupRequest: (req) => {
          const i = n++;
          return {
            ...req,
            path: route.paths[i % route.paths.length]!,
            headers: route.anonymous
              ? req.headers
              : { ...req.headers, authorization: `Bearer ${tokens[i % tokens.length]}` },
          };
        },
        onResponse: (_status, _body, _context, headers) => {
          const state = (headers as Record<string, string>)["x-cache"];
          if (state === "HIT") seen.hit++;
          else if (state === "MISS") seen.miss++;
        },
      },
    ],
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = cpuMs(server.child.pid);
  const cpu =
    cpuBefore === undefined || cpuAfter === undefined
      ? "—"
      : (((cpuAfter - cpuBefore) * 1000) / result.requests.total).toFixed(0);
  const total = seen.hit + seen.miss;
  return {
    route: route.name,
    cache: cache ? "on" : "off",
    phase,
    requests: result.requests.total,
    // Over the whole run, timed here (autocannon's own figures are per-second samples).
    rps: Math.round(result.requests.total / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    hitRatio: total === 0 ? "—" : `${((100 * seen.hit) / total).toFixed(1)}%`,
    errors: result.non2xx + result.errors + result.timeouts,
    cpuPerRequest: cpu,
  };
}

const hardStop = setTimeout(() => {
  console.error("load: gave up after 10 minutes");
  process.exit(1);
}, 600_000);
hardStop.unref();

const rows: Row[] = [];
const load = () => loadavg()[0]!.toFixed(1);
const startLoad = load();
for (const cache of [true, false]) {
  console.error(`load: starting the API with the response cache ${cache ? "on" : "off"}...`);
  const server = await startServer(cache);
  try {
    const tokens = await signUpLearners(server.url, USERS);
    for (const route of ROUTES) {
      for (const phase of ["cold", "warm"] as const) {
        const row = await drive(server, route, tokens, phase, cache);
        console.error(
          `load: ${row.route} cache ${row.cache} ${row.phase}: ${row.rps} req/s, p99 ${row.p99} ms`,
        );
        rows.push(row);
      }
    }
  } finally {
    await stopServer(server);
  }
}

const backend = process.env.DATABASE_URL ? "PostgreSQL" : "PGlite (in memory)";
const stores = process.env.REDIS_URL ? "Redis (tiered cache, Redis limiter)" : "memory stores";
console.log(
  `\n${backend}, ${stores}; ${CONNECTIONS} connections; cold = the first ${COLD} s of a route on a fresh process, warm = the next ${DURATION} s; ${USERS} signed-in learners in rotation; ${cpus().length} cores, load average ${startLoad} → ${load()}.\n`,
);
console.log(
  "| route | response cache | phase | requests | req/s | p50 ms | p99 ms | server CPU µs/req | cache hit ratio | non-2xx |",
);
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.route} | ${r.cache} | ${r.phase} | ${r.requests} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.cpuPerRequest} | ${r.hitRatio} | ${r.errors} |`,
  );
}
