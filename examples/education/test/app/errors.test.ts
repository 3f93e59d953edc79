import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase } from "../../src/db/postgres.js";
import { buildApp, seed, signUp, type TestApp } from "../support/app.js";
import { DATABASE_URL, hasPostgres, openPglite } from "../support/databases.js";

describe("errors, limits and metrics (PGlite)", () => {
  const logged: string[] = [];
  let db: Awaited<ReturnType<typeof openPglite>>;
  let t: TestApp;
  beforeAll(async () => {
    db = await openPglite();
    const { migrate } = await import("../../src/db/migrate.js");
    await migrate(db);
    await seed(db);
    t = await buildApp(db, { log: (message) => logged.push(message) });
  });
  afterAll(async () => {
    await t?.close();
    await db?.close();
  });

  it("answers unknown routes and methods with a JSON 404, timed like any other", async () => {
    for (const [method, url] of [
      ["get", "/nope"],
      ["delete", "/api/education/modules"],
      ["get", "/api/education"],
    ] as const) {
      const res = await request(t.app)[method](url).set("X-Forwarded-For", "10.0.0.1").expect(404);
      expect(res.body).toMatchObject({ success: false, error: { code: "NOT_FOUND" } });
      expect(res.headers["x-response-time"]).toBeDefined();
    }
  });

  it("answers a body that is not JSON, or too large, with a 4xx naming the body", async () => {
    const user = await signUp(t.app, "body");
    const bad = await request(t.app)
      .post("/api/education/progress")
      .set(user.auth)
      .set("Content-Type", "application/json")
      .send("{not json")
      .expect(400);
    expect(bad.body.error).toMatchObject({ code: "VALIDATION_FAILED", field: "body" });
    const large = await request(t.app)
      .post("/api/auth/signup")
      .send({ email: "big@example.test", password: "x".repeat(200_000) })
      .expect(413);
    expect(large.body.error.field).toBe("body");
  });

  it("names the field of a bad progress update, and 404s an unknown module or step", async () => {
    const user = await signUp(t.app, "fields");
    const cases: [object, string][] = [
      [{}, "body.moduleSlug"],
      [{ moduleSlug: "sql-for-developers", status: "done" }, "body.status"],
      [{ moduleSlug: "sql-for-developers", progressPercent: 101 }, "body.progressPercent"],
      [{ moduleSlug: "sql-for-developers", timeSpentSeconds: 1.5 }, "body.timeSpentSeconds"],
    ];
    for (const [body, field] of cases) {
      const res = await request(t.app).post("/api/education/progress").set(user.auth).send(body).expect(400);
      expect(res.body.error.field).toBe(field);
    }
    await request(t.app)
      .post("/api/education/progress")
      .set(user.auth)
      .send({ moduleSlug: "no-such" })
      .expect(404);
    await request(t.app)
      .post("/api/education/tutorials/build-a-rest-api/steps/99/complete")
      .set(user.auth)
      .expect(404);
    const step = await request(t.app)
      .post("/api/education/tutorials/build-a-rest-api/steps/first/complete")
      .set(user.auth)
      .expect(400);
    expect(step.body.error.field).toBe("params.position");
  });

  it("limits anonymous requests per address with the original's headers and a JSON 429", async () => {
    const limited = await buildApp(db, { rateLimit: 3 });
    afterAll(() => limited.close());
    const from = (ip: string) =>
      request(limited.app).get("/api/education/challenges").set("X-Forwarded-For", ip);
    // trust proxy is off: X-Forwarded-For is ignored, every request here is 127.0.0.1's.
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await from(`203.0.113.${i}`));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0]!.headers).toMatchObject({ "x-ratelimit-limit": "3", "x-ratelimit-remaining": "2" });
    expect(Number(answers[0]!.headers["x-ratelimit-reset"])).toBeGreaterThan(Date.now() / 1000);
    const refused = answers[3]!;
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ message: expect.any(String), retryAfter: expect.any(Number) });
  });

  it("limits a signed-in user by their id, not by the address they share", async () => {
    const limited = await buildApp(db, { rateLimit: 3 });
    afterAll(() => limited.close());
    const user = await signUp(limited.app, "limited"); // auth routes have their own limiter
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await request(limited.app).get("/api/education/modules").set(user.auth)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const other = await signUp(limited.app, "other");
    await request(limited.app).get("/api/education/modules").set(other.auth).expect(200);
  });

  it("limits failed sign-ins per address, while successful ones cost nothing", async () => {
    const limited = await buildApp(db, { authRateLimit: 2 });
    afterAll(() => limited.close());
    const user = await signUp(limited.app, "guess");
    const attempt = (password: string) =>
      request(limited.app).post("/api/auth/signin").send({ email: user.email, password });
    expect((await attempt("correct horse battery")).status).toBe(200);
    expect((await attempt("correct horse battery")).status).toBe(200);
    expect((await attempt("wrong")).status).toBe(401);
    expect((await attempt("wrong")).status).toBe(401);
    expect((await attempt("correct horse battery")).status).toBe(429);
  });

  it("serves every request from the database when the response cache is off, and still invalidates nothing wrong", async () => {
    const uncached = await buildApp(db, { responseCache: false });
    afterAll(() => uncached.close());
    const user = await signUp(uncached.app, "uncached");
    for (let i = 0; i < 2; i++) {
      const res = await request(uncached.app).get("/api/education/modules").expect(200);
      expect(res.headers["x-cache"]).toBeUndefined();
      const progress = await request(uncached.app).get("/api/education/progress").set(user.auth).expect(200);
      expect(progress.headers["x-cache"]).toBeUndefined();
    }
    expect((await uncached.services.cache.getStats()).sets).toBe(0);
  });

  it("exports route templates, never raw URLs, on /metrics", async () => {
    await request(t.app).get("/api/education/modules/sql-for-developers").expect(200);
    await request(t.app).get("/api/education/tutorials/build-a-rest-api").expect(200);
    await request(t.app).get("/api/education/modules/no-such").expect(404);
    const res = await request(t.app).get("/metrics").expect(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.text).toContain('name="GET /api/education/modules/:slug"');
    expect(res.text).toContain('name="GET /api/education/tutorials/:slug"');
    expect(res.text).toContain('name="POST /api/auth/signup"');
    expect(res.text).not.toContain("no-such");
    expect(res.text).not.toContain("build-a-rest-api");
    expect(res.text).not.toContain("sql-for-developers");
  });

  it("answers a failing query with a bare 500, logs it, and never caches or replays it", async () => {
    const user = await signUp(t.app, "broken");
    await db.query("ALTER TABLE certifications RENAME TO certifications_away");
    try {
      const res = await request(t.app).get("/api/education/certifications").set(user.auth).expect(500);
      expect(res.body).toEqual({ success: false, error: { code: "INTERNAL", message: "internal error" } });
      expect(logged).toContain("500 INTERNAL");
    } finally {
      await db.query("ALTER TABLE certifications_away RENAME TO certifications");
    }
    const ok = await request(t.app).get("/api/education/certifications").set(user.auth).expect(200);
    expect(ok.headers["x-cache"]).toBe("MISS");
    expect(ok.body.data).toHaveLength(2);
  });
});

describe("an unreachable or saturated database", () => {
  it("answers 503 with Retry-After when the database refuses connections", async () => {
    const db = createPostgresDatabase({
      url: "postgres://postgres@127.0.0.1:1/none",
      connectionTimeoutMillis: 500,
    });
    const t = await buildApp(db);
    try {
      const res = await request(t.app).get("/api/education/modules").expect(503);
      expect(res.headers["retry-after"]).toBe("5");
      expect(res.body.error.code).toBe("SERVICE_UNAVAILABLE");
      await request(t.app).get("/health").expect(200);
    } finally {
      await t.close();
      await db.close();
    }
  });

  it("answers 503, not 500, to a request that finds the services closed by a shutdown", async () => {
    const db = await openPglite();
    const logged: string[] = [];
    const t = await buildApp(db, { log: (message) => logged.push(message) });
    await t.services.close();
    try {
      await request(t.app).get("/api/education/challenges").expect(503);
      expect(logged).toEqual([expect.stringMatching(/^503 SERVICE_UNAVAILABLE: .*after close/)]);
    } finally {
      await t.close();
      await db.close();
    }
  });

  it("answers 503 when PGlite is closed", async () => {
    const db = await openPglite();
    await db.close();
    const t = await buildApp(db);
    try {
      await request(t.app).get("/api/education/tutorials").expect(503);
    } finally {
      await t.close();
    }
  });

  it.skipIf(!hasPostgres)(
    "answers 503 when every pooled connection stays busy past the timeout",
    async () => {
      const db = createPostgresDatabase({ url: DATABASE_URL, max: 1, connectionTimeoutMillis: 200 });
      const t = await buildApp(db);
      let release!: () => void;
      const held = db.transaction(() => new Promise<void>((resolve) => (release = resolve)));
      try {
        await new Promise((resolve) => setImmediate(resolve));
        const res = await request(t.app).get("/api/education/challenges").expect(503);
        expect(res.body.error.message).toMatch(/unavailable/);
      } finally {
        release();
        await held;
        await t.close();
        await db.close();
      }
    },
  );
});
