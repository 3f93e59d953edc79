import request from "supertest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEMO_CHALLENGES, DEMO_MODULES } from "../../src/seed/demo-content.js";
import { buildApp, seed, signInDemo, type TestApp } from "../support/app.js";
import { describeOnEachDatabase } from "../support/databases.js";

describeOnEachDatabase("the catalog routes", (target) => {
  let t: TestApp;
  beforeAll(async () => {
    await seed(target.db);
    t = await buildApp(target.db);
  });
  afterAll(() => t?.close());

  it("lists the published modules in course order as { success, data }, cached for an hour", async () => {
    const first = await request(t.app).get("/api/education/modules").expect(200);
    expect(first.body.success).toBe(true);
    expect(first.body.data.map((m: { slug: string }) => m.slug)).toEqual(DEMO_MODULES.map((m) => m.slug));
    expect(first.headers["x-cache"]).toBe("MISS");
    expect(first.headers["x-ratelimit-limit"]).toBe("100000");
    expect(first.headers["x-response-time"]).toMatch(/^\d+(\.\d+)?ms$/);
    const second = await request(t.app).get("/api/education/modules").expect(200);
    expect(second.headers["x-cache"]).toBe("HIT");
    expect(second.body).toEqual(first.body);
  });

  it("serves signed-in and anonymous learners from one shared catalog entry, with a 304 for a known ETag", async () => {
    const learner = await signInDemo(t.app, "learner");
    const anonymous = await request(t.app).get("/api/education/tutorials/indexing-postgres").expect(200);
    expect(anonymous.headers["x-cache"]).toBe("MISS");
    const signedIn = await request(t.app)
      .get("/api/education/tutorials/indexing-postgres")
      .set(learner.auth)
      .expect(200);
    expect(signedIn.headers["x-cache"]).toBe("HIT");
    expect(signedIn.headers["x-ratelimit-remaining"]).toBeDefined(); // limited as the user, then cached
    const etag = signedIn.headers.etag as string;
    expect(etag).toMatch(/^"/);
    await request(t.app)
      .get("/api/education/tutorials/indexing-postgres")
      .set("If-None-Match", etag)
      .expect(304);
  });

  it("filters modules by difficulty and category, and names the field of a bad filter", async () => {
    const hard = await request(t.app).get("/api/education/modules?difficulty=intermediate").expect(200);
    expect(hard.body.data.every((m: { difficulty: string }) => m.difficulty === "intermediate")).toBe(true);
    expect(hard.body.data).toHaveLength(2);
    const data = await request(t.app).get("/api/education/modules?category=data").expect(200);
    expect(data.body.data.map((m: { slug: string }) => m.slug)).toEqual(["sql-for-developers"]);
    const bad = await request(t.app).get("/api/education/modules?difficulty=expert").expect(400);
    expect(bad.body).toMatchObject({
      success: false,
      error: { code: "VALIDATION_FAILED", field: "query.difficulty" },
    });
    const injected = await request(t.app).get("/api/education/modules?category=x'%20OR%201=1--").expect(400);
    expect(injected.body.error.field).toBe("query.category");
  });

  it("shows a module with its content, quiz questions and tutorials, never the answer key", async () => {
    const res = await request(t.app).get("/api/education/modules/javascript-fundamentals").expect(200);
    const module = res.body.data;
    expect(module.content.map((c: { position: number }) => c.position)).toEqual([1, 2, 3]);
    expect(module.quizzes).toHaveLength(1);
    expect(module.quizzes[0].questions[0]).toEqual({
      prompt: "What does typeof null return?",
      options: ["'null'", "'object'", "'undefined'"],
    });
    expect(module.tutorials.map((x: { slug: string }) => x.slug)).toEqual(["build-a-rest-api"]);
    expect(JSON.stringify(res.body)).not.toMatch(/answer/i);
  });

  it("answers 404 for an unknown module every time, and never caches it", async () => {
    const before = await t.services.cache.getStats();
    for (let i = 0; i < 2; i++) {
      const res = await request(t.app).get("/api/education/modules/no-such-module").expect(404);
      expect(res.body).toMatchObject({ success: false, error: { code: "NOT_FOUND" } });
    }
    const after = await t.services.cache.getStats();
    expect(after.sets).toBe(before.sets);
    const bad = await request(t.app).get("/api/education/modules/Not_A_Slug").expect(400);
    expect(bad.body.error.field).toBe("params.slug");
  });

  it("lists tutorials with step counts and shows one with its steps in order", async () => {
    const list = await request(t.app).get("/api/education/tutorials").expect(200);
    expect(list.body.data.map((x: { slug: string }) => x.slug)).toEqual([
      "build-a-rest-api",
      "indexing-postgres",
      "write-your-first-contract",
    ]);
    expect(list.body.data[0]).toMatchObject({ moduleSlug: "javascript-fundamentals", stepCount: 4 });
    const one = await request(t.app).get("/api/education/tutorials/build-a-rest-api").expect(200);
    expect(one.body.data.steps.map((s: { position: number }) => s.position)).toEqual([1, 2, 3, 4]);
    expect(one.body.data.steps[0].starterCode).toBe("import express from 'express';");
    await request(t.app).get("/api/education/tutorials/no-such-tutorial").expect(404);
    const filtered = await request(t.app).get("/api/education/tutorials?difficulty=beginner").expect(200);
    expect(filtered.body.data).toHaveLength(1);
  });

  it("lists challenges without their solutions or hidden tests", async () => {
    const res = await request(t.app).get("/api/education/challenges").expect(200);
    expect(res.body.data.map((c: { slug: string }) => c.slug)).toEqual([
      "fizzbuzz",
      "top-n-per-group",
      "reentrancy-guard",
    ]);
    const text = JSON.stringify(res.body);
    for (const challenge of DEMO_CHALLENGES) expect(text).not.toContain(challenge.solution);
    expect(text).not.toMatch(/solution|hidden/i);
    const beginner = await request(t.app).get("/api/education/challenges?difficulty=beginner").expect(200);
    expect(beginner.body.data).toHaveLength(1);
  });

  it("lists certifications with the modules they require", async () => {
    const res = await request(t.app).get("/api/education/certifications").expect(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({
        slug: "full-stack-foundations",
        requiredModules: ["javascript-fundamentals", "sql-for-developers", "web-security-essentials"],
      }),
      expect.objectContaining({
        slug: "web3-developer",
        requiredModules: ["javascript-fundamentals", "smart-contract-basics"],
      }),
    ]);
    expect((await request(t.app).get("/api/education/certifications")).headers["x-cache"]).toBe("HIT");
  });

  it("lets only an admin update a module, naming a bad field", async () => {
    await request(t.app).patch("/api/education/modules/sql-for-developers").send({ title: "x" }).expect(401);
    const learner = await signInDemo(t.app, "learner");
    await request(t.app)
      .patch("/api/education/modules/sql-for-developers")
      .set(learner.auth)
      .send({ title: "x" })
      .expect(403);
    const admin = await signInDemo(t.app, "admin");
    const bad = await request(t.app)
      .patch("/api/education/modules/sql-for-developers")
      .set(admin.auth)
      .send({ estimatedMinutes: -5 })
      .expect(400);
    expect(bad.body.error.field).toBe("body.estimatedMinutes");
    await request(t.app).patch("/api/education/modules/no-such-module").set(admin.auth).send({}).expect(404);
  });

  it("invalidates exactly the module list and the module an admin updated", async () => {
    const urls = [
      "/api/education/modules",
      "/api/education/modules/sql-for-developers",
      "/api/education/modules/javascript-fundamentals",
      "/api/education/tutorials",
      "/api/education/tutorials/indexing-postgres",
      "/api/education/certifications",
      "/api/education/challenges",
    ];
    for (const url of urls) await request(t.app).get(url).expect(200); // all cached now
    const admin = await signInDemo(t.app, "admin");
    const patched = await request(t.app)
      .patch("/api/education/modules/sql-for-developers")
      .set(admin.auth)
      .send({ title: "SQL, Properly", difficulty: "intermediate" })
      .expect(200);
    expect(patched.body.data).toMatchObject({ slug: "sql-for-developers", title: "SQL, Properly" });
    const states = await Promise.all(
      urls.map(async (url) => (await request(t.app).get(url)).headers["x-cache"]),
    );
    expect(states).toEqual(["MISS", "MISS", "HIT", "HIT", "HIT", "HIT", "HIT"]);
    const one = await request(t.app).get("/api/education/modules/sql-for-developers");
    expect(one.body.data.title).toBe("SQL, Properly");
  });

  it("hides an unpublished module from the list and its page", async () => {
    const admin = await signInDemo(t.app, "admin");
    await request(t.app).get("/api/education/modules/web-security-essentials").expect(200);
    await request(t.app)
      .patch("/api/education/modules/web-security-essentials")
      .set(admin.auth)
      .send({ isPublished: false })
      .expect(200);
    await request(t.app).get("/api/education/modules/web-security-essentials").expect(404);
    const list = await request(t.app).get("/api/education/modules").expect(200);
    expect(list.body.data.map((m: { slug: string }) => m.slug)).not.toContain("web-security-essentials");
    await request(t.app)
      .patch("/api/education/modules/web-security-essentials")
      .set(admin.auth)
      .send({ isPublished: true })
      .expect(200);
    await request(t.app).get("/api/education/modules/web-security-essentials").expect(200);
  });
});
