// Faults against a real education-app process: its Redis (a private redis-server behind the TCP
// proxy) killed or black-holed, and its PostgreSQL (a private cluster made with initdb under /tmp on
// a free port: never the shared server) stopped and started, its pool exhausted by a table lock, and
// its connection slots taken. Requests must fail with a clean 503 (JSON, Retry-After) or keep
// working, the process must not crash, and it must recover without a restart.
//
//   pnpm exec tsx --conditions=@keel/source reliability/app-faults.ts [--quick] [--only pg-restart]
import { Redis } from "ioredis";
import { startOwnRedis } from "../tooling/redis-server.js";
import { bearer, type Session, signUp, startApp } from "./lib/app.js";
import type { Child } from "./lib/child.js";
import { type Fault, type FaultResult, measureFault, type Probe, requestProbe } from "./lib/fault-run.js";
import { closeAgent, send, summarize, type Target } from "./lib/load.js";
import { holdSession, privateCluster, psql, releaseAll } from "./lib/postgres.js";
import { type Check, flag, machine, type Section, sleep, writeReport } from "./lib/report.js";
import { startTcpProxy } from "./tcp-proxy.js";

const quick = flag("quick") !== undefined;
const only = flag("only")?.split(",");
const started = Date.now();
const maxConnections = 30;

const cluster = await privateCluster({ maxConnections });
psql(cluster.url, "CREATE DATABASE education");
const databaseUrl = cluster.url.replace(/\/postgres$/, "/education");
const redis = await startOwnRedis();
const proxy = await startTcpProxy(redis.port);
const inspect = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => 100 });
inspect.on("error", () => {});

let app: Child | undefined;
const results: (FaultResult & {
  crashes: number;
  unhandled: number;
  unclean5xx: number;
  /** Up to five of them, to tell what they were. */
  uncleanSamples: { route: string; status: number; body: string | undefined }[];
  bodiesChecked: number;
})[] = [];
/** A 5xx that is not the app's clean 503 (JSON SERVICE_UNAVAILABLE). */
const unclean = (s: { status: number; body?: string | undefined }) =>
  s.status !== 503 || !s.body?.includes('"SERVICE_UNAVAILABLE"');
const checks: Check[] = [];
const crashLogs: { fault: string; stderr: string[] }[] = [];
const serverErrors: { fault: string; logged: string[] }[] = [];

try {
  const launch = () =>
    startApp("education", {
      DATABASE_URL: databaseUrl,
      REDIS_URL: `redis://127.0.0.1:${proxy.port}`,
      RATE_LIMIT: "1000000",
      AUTH_RATE_LIMIT: "1000000",
    });
  app = await launch();
  let port = app.port;
  const users: Session[] = [];
  for (let u = 0; u < 6; u++) users.push(await signUp(port, `faults-${process.pid}-${u}@example.test`));
  const probeUser = users[0] as Session;
  const slug = "intro-to-javascript";

  const routes = ["health", "anon-catalog", "auth-catalog", "progress-read", "progress-write"] as const;
  const target = (i: number): Target => {
    const route = routes[i % routes.length] as (typeof routes)[number];
    const user = users[Math.floor(i / routes.length) % users.length] as Session;
    switch (route) {
      case "health":
        return { route, port, path: "/health" };
      case "anon-catalog":
        return { route, port, path: "/api/education/modules" };
      case "auth-catalog":
        return { route, port, path: "/api/education/tutorials", headers: bearer(user) };
      case "progress-read":
        return { route, port, path: "/api/education/progress", headers: bearer(user) };
      case "progress-write":
        return {
          route,
          port,
          path: "/api/education/progress",
          method: "POST",
          headers: bearer(user),
          body: JSON.stringify({
            moduleSlug: slug,
            status: "in_progress",
            progressPercent: i % 100,
            timeSpentSeconds: 1,
          }),
        };
    }
  };
  // The module the writes use must exist.
  const modules = await send({ route: "x", port, path: "/api/education/modules" }, 10_000, true);
  const first = (JSON.parse(modules.body ?? "{}") as { data?: { slug: string }[] }).data?.[0]?.slug;
  const moduleSlug = first ?? slug;
  const targetWith = (i: number) => {
    const t = target(i);
    return t.body === undefined ? t : { ...t, body: t.body.replace(slug, moduleSlug) };
  };

  const dbProbe = requestProbe(
    "database answers through the app",
    () => ({ route: "probe", port, path: "/api/auth/me", headers: bearer(probeUser) }),
    (status) => status === 200,
  );
  // The limiter counts the probe user in Redis again: its counter there grows by one per request.
  const limiterKey = `education:rl:{user:${probeUser.userId}}:default`;
  const redisProbe: Probe = {
    name: "rate limiter counts in Redis again",
    async run() {
      const before = Number((await inspect.hget(limiterKey, "c").catch(() => null)) ?? -1);
      const ok = await dbProbe.run(0);
      const after = Number((await inspect.hget(limiterKey, "c").catch(() => null)) ?? -1);
      return ok && after > before && before >= 0;
    },
  };

  let holders: ReturnType<typeof holdSession>[] = [];
  let victimWrite: ReturnType<typeof send> | undefined;
  const hold = quick ? 1_500 : 3_000;
  const faults: (Fault & { probes: Probe[]; holdMs: number; workers?: number })[] = [
    {
      name: "redis-kill",
      what: `redis-server SIGKILLed, restarted empty after ${hold} ms`,
      inject: () => redis.kill(),
      lift: () => redis.restart(),
      probes: [dbProbe, redisProbe],
      holdMs: hold,
    },
    {
      name: "redis-blackhole",
      what: "every byte to Redis held by the proxy (a partition)",
      inject: async () => proxy.setMode({ kind: "blackhole" }),
      lift: async () => proxy.setMode({ kind: "pass" }),
      probes: [dbProbe, redisProbe],
      holdMs: hold,
    },
    {
      name: "pg-restart",
      what: `PostgreSQL stopped (fast: sessions terminated) and started again ${hold} ms later`,
      inject: async () => cluster.stop(),
      lift: async () => cluster.start(),
      probes: [dbProbe],
      holdMs: hold,
    },
    {
      // Deterministic: a transaction of the app blocks on a lock held elsewhere, and its backend is
      // terminated (what a restart, a failover or a DBA's pg_terminate_backend does to it).
      name: "pg-terminate-in-transaction",
      what: "a progress write blocks inside its transaction on an advisory lock held by another session; the app's waiting backends are terminated",
      inject: async () => {
        const victim = users[users.length - 1] as Session;
        holders = [
          holdSession(
            databaseUrl,
            `SELECT pg_advisory_lock(hashtext('keel-education:progress:' || '${victim.userId}')); SELECT pg_sleep(60);`,
          ),
        ];
        await sleep(300);
        victimWrite = send(
          {
            route: "victim",
            port,
            path: "/api/education/progress",
            method: "POST",
            headers: bearer(victim),
            body: JSON.stringify({
              moduleSlug,
              status: "in_progress",
              progressPercent: 50,
              timeSpentSeconds: 1,
            }),
          },
          15_000,
          true,
        );
        await sleep(500);
        psql(
          databaseUrl,
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'education' AND wait_event_type = 'Lock' AND application_name NOT LIKE 'keel-holder-%'",
        );
      },
      lift: async () => releaseAll(databaseUrl, holders),
      probes: [dbProbe],
      holdMs: 1_000,
    },
    {
      name: "pg-pool-exhaustion",
      what: "LOCK TABLE token_blacklist (read by every authenticated request) held 7 s: the pool's 10 connections block, the rest wait 5 s for one",
      inject: async () => {
        holders = [
          holdSession(
            databaseUrl,
            "BEGIN; LOCK TABLE token_blacklist IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);",
          ),
        ];
      },
      lift: async () => releaseAll(databaseUrl, holders),
      probes: [dbProbe],
      holdMs: 7_000,
      workers: 30, // more clients than the pool's 10 connections
    },
    {
      name: "pg-connection-slots",
      what: `PostgreSQL restarted, then all ${maxConnections} connection slots taken by other sessions for ${hold} ms (too many clients, 53300)`,
      inject: async () => {
        cluster.stop();
        cluster.start();
        holders = Array.from({ length: maxConnections }, () =>
          holdSession(cluster.url, "SELECT pg_sleep(60)"),
        );
        await sleep(500);
      },
      // Every slot is taken, so terminate the holders by killing them: with
      // client_connection_check_interval the server notices within 200 ms.
      lift: async () => {
        for (const h of holders) h.process.kill("SIGKILL");
      },
      probes: [dbProbe],
      holdMs: hold,
    },
  ];

  for (const fault of faults) {
    if (only !== undefined && !only.includes(fault.name)) continue;
    const current: Child = app;
    const crashesBefore = current.crashes;
    const unhandledBefore = current.unhandled;
    const notableBefore = current.notable.length;
    const result = await measureFault(
      fault,
      { next: targetWith, workers: fault.workers ?? 10, timeoutMs: 15_000, keepBodies: [...routes] },
      fault.probes,
      {
        warmMs: quick ? 500 : 1_500,
        holdMs: fault.holdMs,
        recoverMaxMs: 20_000,
        tailMs: quick ? 500 : 1_500,
      },
    );
    const victim = victimWrite === undefined ? undefined : await victimWrite;
    victimWrite = undefined;
    if (victim !== undefined) {
      result.during.victim = summarize([{ ...victim, at: 0 }]);
      if (victim.status >= 500) result.fiveHundreds.push({ ...victim, at: 0 });
    }
    results.push({
      ...result,
      crashes: current.crashes - crashesBefore,
      unhandled: current.unhandled - unhandledBefore,
      unclean5xx: result.fiveHundreds.filter(unclean).length,
      uncleanSamples: result.fiveHundreds
        .filter(unclean)
        .slice(0, 5)
        .map((x) => ({ route: x.route, status: x.status, body: x.body?.slice(0, 300) })),
      bodiesChecked: result.fiveHundreds.length,
    });
    console.error(`${fault.name}: recovered in ${result.recoveryMs ?? "never"} ms`);
    // What the app logged for a 5xx other than its clean 503 (it logs every 5xx with its error).
    const logged = current.notable.slice(notableBefore);
    if (logged.length > 0) serverErrors.push({ fault: fault.name, logged: logged.slice(0, 5) });
    if (current.crashes > crashesBefore) {
      crashLogs.push({
        fault: fault.name,
        stderr: app.stderrTail.filter((l) => !/^\s+at /.test(l)).slice(-30),
      });
      console.error(`--- the app crashed during ${fault.name}:\n${crashLogs.at(-1)?.stderr.join("\n")}`);
      // Counted; start a new process (same database, same token secret) for the next faults.
      app = await launch();
      port = app.port;
    }
  }
} catch (error) {
  checks.push({
    name: "the run completed",
    pass: false,
    detail: error instanceof Error ? error.message : String(error),
  });
  if (app !== undefined) console.error(app.stderrTail.join("\n"));
} finally {
  await app?.stop();
  inspect.disconnect();
  await proxy.close();
  await redis.kill();
  cluster.destroy();
  closeAgent();
}

const fmt = (s: { statuses: Record<string, number> } | undefined) =>
  s === undefined
    ? "-"
    : Object.entries(s.statuses)
        .map(([k, v]) => `${k}:${v}`)
        .join(" ");
const routeNames = ["health", "anon-catalog", "auth-catalog", "progress-read", "progress-write", "victim"];
const sections: Section[] = [
  {
    title:
      "Faults against a running education app (PostgreSQL private cluster, private Redis behind the proxy, 10 concurrent clients; 30 for pool exhaustion)",
    columns: [
      "fault",
      "requests during",
      "answered",
      "status mix",
      "worst latency ms",
      "recovery ms",
      "5xx other than a clean 503",
      "unhandled",
      "crashes",
    ],
    rows: results.map((r) => [
      r.fault,
      r.during.all?.requests ?? 0,
      r.during.all?.answered ?? 0,
      fmt(r.during.all),
      r.during.all?.worstLatencyMs ?? 0,
      r.recoveryMs ?? "never",
      `${r.unclean5xx} of ${r.bodiesChecked}`,
      r.unhandled,
      r.crashes,
    ]),
  },
  {
    title: "Status mix by route during each fault",
    columns: ["fault", ...routeNames],
    rows: results.map((r) => [r.fault, ...routeNames.map((route) => fmt(r.during[route]))]),
    notes: [
      "victim: the one write held inside its transaction by the pg-terminate-in-transaction fault. health touches nothing; anon-catalog is served from the cache; auth-catalog and progress-read read the token blacklist on every request (then the cache); progress-write writes PostgreSQL and invalidates by tag.",
    ],
  },
];
for (const r of results) {
  checks.push(
    {
      name: `${r.fault}: no crash, no unhandled rejection`,
      pass: r.crashes === 0 && r.unhandled === 0,
      detail: `${r.crashes} crashes, ${r.unhandled} unhandled`,
    },
    {
      name: `${r.fault}: every request answered`,
      pass: (r.during.all?.answered ?? 0) === (r.during.all?.requests ?? 0),
      detail: `${r.during.all?.answered}/${r.during.all?.requests}`,
    },
    {
      name: `${r.fault}: failures are clean 503s (JSON SERVICE_UNAVAILABLE)`,
      pass: r.unclean5xx === 0,
      detail: `${r.bodiesChecked} 5xx, ${r.unclean5xx} not a clean 503${r.uncleanSamples.length > 0 ? `: ${JSON.stringify(r.uncleanSamples[0])}` : ""}`,
    },
    {
      name: `${r.fault}: recovered without a restart`,
      pass: r.recoveryMs !== undefined,
      detail: `${r.recoveryMs ?? "never"} ms after the dependency came back`,
    },
  );
}
for (const r of results.filter((x) => x.fault.startsWith("redis"))) {
  const non200 = Object.entries(r.during.all?.statuses ?? {}).filter(([k]) => k !== "200");
  checks.push({
    name: `${r.fault}: the app keeps answering 200 without Redis`,
    pass: non200.length === 0,
    detail: fmt(r.during.all),
  });
}

writeReport({
  script: quick ? "app-faults-quick" : "app-faults",
  startedAt: new Date(started).toISOString(),
  durationMs: Date.now() - started,
  machine: machine(),
  checks,
  sections,
  data: {
    results: results.map(({ fiveHundreds, ...r }) => ({ ...r, fiveHundreds: fiveHundreds.length })),
    crashLogs,
    serverErrors,
  },
});
process.exit(checks.every((c) => c.pass) ? 0 : 1);
