// Many instances: N education-app processes on 127.0.0.1 sharing one Redis (a private redis-server
// this script starts) and one PostgreSQL database (created fresh on the shared server, dropped at
// the end). Checks: the per-user limit holds across instances; a write on one instance invalidates
// the cached entry on every instance (time until all answer the new value); every user reads only
// its own progress on every instance; /metrics of all instances merged equals the requests sent.
//
//   pnpm exec tsx --conditions=@keel/source reliability/instances.ts [--instances 3] [--quick]
import { Redis } from "ioredis";
import { startOwnRedis } from "../tooling/redis-server.js";
import { ADMIN, bearer, type Session, signIn, signUp, startApp } from "./lib/app.js";
import type { Child } from "./lib/child.js";
import { closeAgent, runLoad, type Sample, send, summarize, type Target } from "./lib/load.js";
import { freshDatabase } from "./lib/postgres.js";
import { type Check, flag, machine, type Section, sleep, writeReport } from "./lib/report.js";

const instances = Number(flag("instances") ?? 3);
const quick = flag("quick") !== undefined;
const rateLimit = 40;
/** Concurrent requests per user in the limit phase (more makes store timeouts, hence insurance decisions, likelier). */
const limitWorkers = Number(flag("limit-workers") ?? 1);
const started = Date.now();

const redis = await startOwnRedis();
const database = freshDatabase(`keel_reliability_${process.pid}`);
let apps: Child[] = [];
const sent: number[] = [];
const checks: Check[] = [];
const sections: Section[] = [];
const data: Record<string, unknown> = {};

/** Sends through instance `i`, counting it for the /metrics check. */
async function call(i: number, target: Omit<Target, "port" | "route"> & { route?: string }, keepBody = true) {
  sent[i] = (sent[i] ?? 0) + 1;
  const app = apps[i] as Child;
  return send({ route: target.route ?? target.path, port: app.port, ...target }, 10_000, keepBody);
}

function parse<T>(body: string | undefined): T {
  return JSON.parse(body || "{}") as T;
}

try {
  // All at once: the migrations run under an advisory lock, so concurrent first starts are part of the test.
  const t0 = performance.now();
  apps = await Promise.all(
    Array.from({ length: instances }, (_, i) =>
      startApp(`education-${i}`, {
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        RATE_LIMIT: String(rateLimit),
      }),
    ),
  );
  data.startupMs = Math.round(performance.now() - t0);
  for (let i = 0; i < instances; i++) sent[i] = 0;
  const port = (i: number) => (apps[i] as Child).port;

  // Users: sign-up and sign-in are counted too (the /metrics check covers every request).
  const count = (i: number) => {
    sent[i] = (sent[i] ?? 0) + 1;
    return port(i);
  };
  const admin = await signIn(count(0), ADMIN.email, ADMIN.password);
  const users: Session[] = [];
  for (let u = 0; u < (quick ? 12 : 24); u++) {
    users.push(await signUp(count(u % instances), `reliability-${process.pid}-${u}@example.test`));
  }
  const limitUsers = users.slice(0, quick ? 4 : 8);
  const pollers = users.slice(limitUsers.length);

  // 1. The per-user limit holds globally: each user sends three times its limit (`limitWorkers` at a
  // time), round-robin over the instances, all users at once.
  const perUser = new Map<string, number[]>();
  let worstLimitLatency = 0;
  await Promise.all(
    limitUsers.map(async (user, u) => {
      const statuses: number[] = [];
      const worker = async (w: number) => {
        for (let r = w; r < rateLimit * 3; r += limitWorkers) {
          const i = (r + u) % instances;
          const answer = await call(
            i,
            { route: "limit", path: "/api/education/modules", headers: bearer(user) },
            false,
          );
          worstLimitLatency = Math.max(worstLimitLatency, answer.latencyMs);
          statuses.push(answer.status);
        }
      };
      await Promise.all(Array.from({ length: limitWorkers }, (_, w) => worker(w)));
      perUser.set(user.email, statuses);
    }),
  );
  const admitted = [...perUser.values()].map((s) => s.filter((x) => x === 200).length);
  const refused = [...perUser.values()].map((s) => s.filter((x) => x === 429).length);
  // What Redis itself counted for each user (the fixed-window state of policy "default").
  const inspect = new Redis(redis.url);
  const stored = await Promise.all(
    limitUsers.map(async (user) =>
      Number(await inspect.hget(`education:rl:{user:${user.userId}}:default`, "c")),
    ),
  );
  inspect.disconnect();
  data.limit = { rateLimit, admitted, refused, stored, worstLimitLatency };
  sections.push({
    title: `Per-user limit across ${instances} instances (limit ${rateLimit}/min, ${rateLimit * 3} requests per user, ${limitWorkers} at a time, round-robin over the instances, ${limitUsers.length} users at once)`,
    columns: ["user", "sent", "admitted (200)", "refused (429)", "other", "count in Redis"],
    rows: limitUsers.map((_user, u) => [
      u,
      rateLimit * 3,
      admitted[u] ?? 0,
      refused[u] ?? 0,
      rateLimit * 3 - (admitted[u] ?? 0) - (refused[u] ?? 0),
      stored[u] ?? 0,
    ]),
    notes: [
      `Worst latency in this phase: ${Math.round(worstLimitLatency)} ms. The app's limiter gives Redis 100 ms (the default storeTimeout); after a slower call, that instance's in-memory insurance decides (for that check and, until Redis answers again, the next ones) without knowing what the other instances admitted. So an admission past the limit while the Redis count stays at the limit was decided by an insurance store.`,
    ],
  });
  checks.push({
    name: "Redis never counts a user past its limit (one atomic script per decision)",
    pass: stored.every((c) => c <= rateLimit),
    detail: `counts in Redis: ${stored.join(", ")}`,
  });
  checks.push({
    name: "per-user limit holds globally (strict: no user admitted more than its limit across instances)",
    pass: admitted.every((a) => a <= rateLimit),
    detail: `admitted per user: ${admitted.join(", ")} (limit ${rateLimit})`,
  });
  checks.push({
    name: "the limit is exact (every user admitted exactly its limit, the rest refused with 429)",
    pass: admitted.every((a) => a === rateLimit) && refused.every((r) => r === rateLimit * 2),
    detail: `refused per user: ${refused.join(", ")}`,
  });

  // 2. A write on one instance invalidates the cached entry everywhere.
  const list = parse<{ data: { slug: string }[] }>(
    (await call(0, { path: "/api/education/modules", headers: bearer(pollers[0] as Session) })).body,
  );
  const slug = list.data[0]?.slug ?? "";
  let poller = 0;
  const nextPoller = () => pollers[poller++ % pollers.length] as Session;
  const propagation: number[][] = [];
  const rounds = quick ? 3 : 8;
  for (let round = 0; round < rounds; round++) {
    // Warm every instance's L1 with the current value.
    for (let i = 0; i < instances; i++)
      await call(i, { path: `/api/education/modules/${slug}`, headers: bearer(nextPoller()) });
    const title = `Reliability ${process.pid} round ${round}`;
    const writer = round % instances;
    const patchedAt = performance.now();
    const patched = await call(writer, {
      path: `/api/education/modules/${slug}`,
      method: "PATCH",
      body: JSON.stringify({ title }),
      headers: bearer(admin),
    });
    if (patched.status !== 200) throw new Error(`PATCH answered ${patched.status}: ${patched.body}`);
    const ackMs = performance.now() - patchedAt;
    const seen = await Promise.all(
      apps.map(async (_, i) => {
        for (let attempt = 0; attempt < 400; attempt++) {
          const answer = await call(i, {
            path: `/api/education/modules/${slug}`,
            headers: bearer(nextPoller()),
          });
          if (answer.status === 200 && parse<{ data: { title: string } }>(answer.body).data.title === title) {
            return performance.now() - patchedAt;
          }
          await sleep(2);
        }
        return Number.POSITIVE_INFINITY;
      }),
    );
    propagation.push([ackMs, ...seen]);
  }
  data.invalidation = propagation;
  const fmtMs = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : "never");
  sections.push({
    title:
      "Invalidation across instances: PATCH a module on one instance, poll GET /modules/:slug on every instance",
    columns: [
      "round",
      "writer",
      "PATCH answered ms",
      ...apps.map((_, i) => `instance ${i} sees it ms`),
      "all instances ms",
      "all, after the PATCH answered ms",
    ],
    rows: propagation.map((row, r) => [
      r,
      r % instances,
      fmtMs(row[0] as number),
      ...row.slice(1).map(fmtMs),
      fmtMs(Math.max(...row.slice(1))),
      fmtMs(Math.max(...row.slice(1)) - (row[0] as number)),
    ]),
    notes: [
      "Times from sending the PATCH, polling every instance every 2 ms (each poll is a full GET through auth, limiter and cache). Each instance's L1 held the old value just before; the writer drops it at once, the others on the pub/sub message.",
    ],
  });
  const worstPropagation = Math.max(...propagation.map((row) => Math.max(...row.slice(1))));
  checks.push({
    name: "a write on one instance reaches every instance",
    pass: Number.isFinite(worstPropagation),
    detail: `worst time until every instance answered the new value: ${fmtMs(worstPropagation)} ms`,
  });

  // 3. Bounded load across all instances, and private progress per user on every instance.
  const progressUsers = pollers.slice(0, Math.min(pollers.length, 6));
  for (const [u, user] of progressUsers.entries()) {
    const answer = await call(u % instances, {
      path: "/api/education/progress",
      method: "POST",
      body: JSON.stringify({
        moduleSlug: slug,
        status: "in_progress",
        progressPercent: 10 + u,
        timeSpentSeconds: 60,
      }),
      headers: bearer(user),
    });
    if (answer.status !== 200) throw new Error(`POST /progress answered ${answer.status}: ${answer.body}`);
  }
  const loadUsers = users;
  const routes = [
    "/api/education/modules",
    `/api/education/modules/${slug}`,
    "/api/education/tutorials",
    "/api/education/challenges",
    "/api/education/certifications",
    "/api/education/progress",
  ];
  let wrongUser = 0;
  let progressChecked = 0;
  const samples: Sample[] = await runLoad({
    workers: 12,
    durationMs: quick ? 3_000 : 10_000,
    maxRequests: quick ? 3_000 : 20_000,
    keepBodies: ["progress"],
    next: (n) => {
      const i = n % instances;
      sent[i] = (sent[i] ?? 0) + 1;
      const progress = n % 5 === 0;
      const user = progress
        ? (progressUsers[n % progressUsers.length] as Session)
        : (loadUsers[n % loadUsers.length] as Session);
      return {
        route: progress ? `progress:${progressUsers.indexOf(user)}` : "catalog",
        port: port(i),
        path: progress ? "/api/education/progress" : (routes[n % (routes.length - 1)] as string),
        headers: bearer(user),
      };
    },
  });
  for (const sample of samples) {
    if (!sample.route.startsWith("progress:") || sample.status !== 200) continue;
    const u = Number(sample.route.slice("progress:".length));
    const body = parse<{ data: { modules: { progressPercent: number }[] } }>(sample.body);
    progressChecked++;
    if (body.data.modules[0]?.progressPercent !== 10 + u) wrongUser++;
  }
  const summary = summarize(samples);
  data.load = summary;
  sections.push({
    title: `Bounded load over ${instances} instances (12 clients, ${loadUsers.length} users, catalog routes and per-user progress)`,
    columns: [
      "requests",
      "answered",
      "status mix",
      "worst latency ms",
      "p99 ms",
      "progress reads checked",
      "served to the wrong user",
    ],
    rows: [
      [
        summary.requests,
        summary.answered,
        Object.entries(summary.statuses)
          .map(([k, v]) => `${k}:${v}`)
          .join(" "),
        summary.worstLatencyMs,
        summary.p99LatencyMs,
        progressChecked,
        wrongUser,
      ],
    ],
    notes: ["429s are expected: every user's 40 requests a minute are spent quickly."],
  });
  checks.push({
    name: "no response served to the wrong user",
    pass: wrongUser === 0 && progressChecked > 0,
    detail: `${wrongUser} of ${progressChecked} progress reads`,
  });
  checks.push({
    name: "every request answered (no timeout, no 5xx)",
    pass:
      summary.answered === summary.requests && !Object.keys(summary.statuses).some((s) => s.startsWith("5")),
    detail: `${summary.answered}/${summary.requests}`,
  });

  // 4. /metrics merged equals the requests sent.
  const counted: number[] = [];
  for (let i = 0; i < instances; i++) {
    const answer = await send({ route: "metrics", port: port(i), path: "/metrics" }, 10_000, true);
    let total = 0;
    for (const line of (answer.body ?? "").split("\n")) {
      if (line.startsWith("education_duration_seconds_count{"))
        total += Number(line.slice(line.lastIndexOf(" ") + 1));
    }
    counted.push(total);
    // This scrape is not counted yet (it is recorded when it finishes): the earlier ones are.
    sent[i] = (sent[i] ?? 0) + 1;
  }
  const sentBefore = sent.map((s) => s - 1);
  data.metrics = { counted, sent: sentBefore };
  sections.push({
    title: "/metrics of every instance against the requests this script sent it",
    columns: ["instance", "requests sent", "counted in /metrics", "difference"],
    rows: [
      ...counted.map((c, i) => [i, sentBefore[i] ?? 0, c, c - (sentBefore[i] ?? 0)]),
      [
        "all (merged)",
        sentBefore.reduce((a, b) => a + b, 0),
        counted.reduce((a, b) => a + b, 0),
        counted.reduce((a, b) => a + b, 0) - sentBefore.reduce((a, b) => a + b, 0),
      ],
    ],
  });
  checks.push({
    name: "/metrics merged equals the requests sent",
    pass: counted.every((c, i) => c === sentBefore[i]),
    detail: `${counted.reduce((a, b) => a + b, 0)} counted, ${sentBefore.reduce((a, b) => a + b, 0)} sent`,
  });
  checks.push({
    name: "no instance crashed",
    pass: apps.every((a) => a.crashes === 0),
    detail: apps.map((a) => a.crashes).join(", "),
  });
} catch (error) {
  checks.push({
    name: "the run completed",
    pass: false,
    detail: error instanceof Error ? error.message : String(error),
  });
  for (const app of apps)
    if (app.stderrTail.length > 0) console.error(`--- ${app.name} stderr:\n${app.stderrTail.join("\n")}`);
} finally {
  await Promise.all(apps.map((app) => app.stop()));
  database.drop();
  await redis.kill();
  closeAgent();
}

writeReport({
  script: quick ? "instances-quick" : "instances",
  startedAt: new Date(started).toISOString(),
  durationMs: Date.now() - started,
  machine: machine(),
  checks,
  sections,
  data,
});
process.exit(checks.every((c) => c.pass) ? 0 : 1);
