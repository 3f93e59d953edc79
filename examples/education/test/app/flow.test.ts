import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisAvailable, uniquePrefix } from "../../../../tooling/services.js";
import { buildApp, seed, signUp, type TestApp } from "../support/app.js";
import { describeOnEachDatabase } from "../support/databases.js";

const hasRedis = await redisAvailable();

const progressOf = (app: TestApp["app"], auth: Record<string, string>) =>
  request(app).get("/api/education/progress").set(auth);

describeOnEachDatabase("the learner's journey", (target) => {
  beforeAll(() => seed(target.db));

  for (const stores of ["memory", "Redis"] as const) {
    describe.skipIf(stores === "Redis" && !hasRedis)(`with ${stores} stores`, () => {
      let t: TestApp;
      beforeAll(async () => {
        t = await buildApp(target.db, { redis: stores === "Redis" });
      });
      afterAll(() => t?.close());

      it("signs up, signs in, browses, completes steps, earns a certification, signs out and is refused after", async () => {
        const { app } = t;
        const { email } = await signUp(app, "journey");
        const signIn = await request(app)
          .post("/api/auth/signin")
          .send({ email, password: "correct horse battery" })
          .expect(200);
        const auth = { Authorization: `Bearer ${signIn.body.data.accessToken}` };

        await request(app).get("/api/education/modules").set(auth).expect(200);
        const tutorial = await request(app)
          .get("/api/education/tutorials/build-a-rest-api")
          .set(auth)
          .expect(200);
        expect(tutorial.body.data.steps).toHaveLength(4);

        const empty = await progressOf(app, auth).expect(200);
        expect(empty.body.data).toEqual({ totalXp: 0, modules: [], tutorials: [], certifications: [] });
        expect((await progressOf(app, auth)).headers["x-cache"]).toBe("HIT");

        const step = await request(app)
          .post("/api/education/tutorials/build-a-rest-api/steps/1/complete")
          .set(auth)
          .expect(200);
        expect(step.body.data).toMatchObject({ status: "in_progress", completedSteps: 1, totalSteps: 4 });
        const afterStep = await progressOf(app, auth).expect(200);
        expect(afterStep.headers["x-cache"]).toBe("MISS");
        expect(afterStep.body.data.tutorials).toEqual([
          expect.objectContaining({
            tutorialSlug: "build-a-rest-api",
            completedSteps: 1,
            status: "in_progress",
          }),
        ]);

        // Completing a step twice counts once; the last step completes the tutorial and its XP.
        await request(app)
          .post("/api/education/tutorials/build-a-rest-api/steps/1/complete")
          .set(auth)
          .expect(200);
        for (const position of [2, 3, 4]) {
          await request(app)
            .post(`/api/education/tutorials/build-a-rest-api/steps/${position}/complete`)
            .set(auth)
            .expect(200);
        }
        const tutorialDone = (await progressOf(app, auth)).body.data;
        expect(tutorialDone.tutorials[0]).toMatchObject({ status: "completed", completedSteps: 4 });
        expect(tutorialDone.totalXp).toBe(50);

        const started = await request(app)
          .post("/api/education/progress")
          .set(auth)
          .send({ moduleSlug: "javascript-fundamentals", progressPercent: 40, timeSpentSeconds: 600 })
          .expect(200);
        expect(started.body.data).toMatchObject({ status: "in_progress", earnedCertifications: [] });
        await request(app)
          .post("/api/education/progress")
          .set(auth)
          .send({ moduleSlug: "javascript-fundamentals", status: "completed" })
          .expect(200);
        const certified = await request(app)
          .post("/api/education/progress")
          .set(auth)
          .send({ moduleSlug: "smart-contract-basics", status: "completed" })
          .expect(200);
        expect(certified.body.data.earnedCertifications).toEqual([
          expect.objectContaining({
            slug: "web3-developer",
            certificateCode: expect.stringMatching(/^KEEL-/),
          }),
        ]);

        const progress = (await progressOf(app, auth).expect(200)).body.data;
        expect(progress.totalXp).toBe(50 + 100 + 100 + 500);
        expect(progress.modules).toEqual([
          expect.objectContaining({
            moduleSlug: "javascript-fundamentals",
            status: "completed",
            timeSpentSeconds: 600,
          }),
          expect.objectContaining({
            moduleSlug: "smart-contract-basics",
            status: "completed",
            progressPercent: 100,
          }),
        ]);
        expect(progress.certifications).toEqual([expect.objectContaining({ slug: "web3-developer" })]);

        // Completing again awards nothing twice.
        const again = await request(app)
          .post("/api/education/progress")
          .set(auth)
          .send({ moduleSlug: "smart-contract-basics", status: "completed" })
          .expect(200);
        expect(again.body.data.earnedCertifications).toEqual([]);
        expect((await progressOf(app, auth)).body.data.totalXp).toBe(750);

        await request(app)
          .post("/api/auth/logout")
          .set(auth)
          .send({ refreshToken: signIn.body.data.refreshToken })
          .expect(200);
        const refused = await progressOf(app, auth).expect(401);
        expect(refused.body.error.message).toMatch(/revoked/);
        await request(app)
          .post("/api/auth/refresh")
          .send({ refreshToken: signIn.body.data.refreshToken })
          .expect(401);
      });

      it("never shows one user's progress to another, nor to an anonymous request, through the cache", async () => {
        const { app } = t;
        const alice = await signUp(app, "alice");
        const bob = await signUp(app, "bob");
        await request(app)
          .post("/api/education/progress")
          .set(alice.auth)
          .send({ moduleSlug: "sql-for-developers", status: "completed" })
          .expect(200);
        const aliceFirst = await progressOf(app, alice.auth).expect(200);
        expect(aliceFirst.headers["cache-control"]).toBe("private");
        expect((await progressOf(app, alice.auth)).headers["x-cache"]).toBe("HIT");
        // Same URL, right after Alice's entry was stored: Bob gets his own (empty) progress.
        const bobFirst = await progressOf(app, bob.auth).expect(200);
        expect(bobFirst.headers["x-cache"]).toBe("MISS");
        expect(bobFirst.body.data.modules).toEqual([]);
        expect((await progressOf(app, bob.auth)).body.data.totalXp).toBe(0);
        await request(app).get("/api/education/progress").expect(401);
        // Bob's write invalidates Bob's entry only.
        await request(app)
          .post("/api/education/progress")
          .set(bob.auth)
          .send({ moduleSlug: "javascript-fundamentals", progressPercent: 10 })
          .expect(200);
        const aliceAfter = await progressOf(app, alice.auth);
        expect(aliceAfter.headers["x-cache"]).toBe("HIT");
        expect(aliceAfter.body.data.modules.map((m: { moduleSlug: string }) => m.moduleSlug)).toEqual([
          "sql-for-developers",
        ]);
        const bobAfter = await progressOf(app, bob.auth);
        expect(bobAfter.body.data.modules.map((m: { moduleSlug: string }) => m.moduleSlug)).toEqual([
          "javascript-fundamentals",
        ]);
      });

      it("awards a module's XP once when two requests complete it at the same moment", async () => {
        const user = await signUp(t.app, "racer");
        const complete = () =>
          request(t.app)
            .post("/api/education/progress")
            .set(user.auth)
            .send({ moduleSlug: "web-security-essentials", status: "completed" })
            .expect(200);
        await Promise.all([complete(), complete(), complete()]);
        expect((await progressOf(t.app, user.auth)).body.data.totalXp).toBe(100);
      });
    });
  }

  describe.skipIf(!hasRedis)("two instances sharing Redis", () => {
    let one: TestApp;
    let two: TestApp;
    beforeAll(async () => {
      const prefix = uniquePrefix("education-pair");
      one = await buildApp(target.db, { redis: prefix });
      two = await buildApp(await target.secondPool(target.db), { redis: prefix });
    });
    afterAll(async () => {
      await one?.close();
      await two?.close();
    });

    it("serves a write made on one instance from the other, through invalidation over pub/sub", async () => {
      const user = await signUp(one.app, "pair");
      expect((await progressOf(two.app, user.auth).expect(200)).body.data.modules).toEqual([]);
      expect((await progressOf(two.app, user.auth)).headers["x-cache"]).toBe("HIT");
      await request(one.app)
        .post("/api/education/progress")
        .set(user.auth)
        .send({ moduleSlug: "sql-for-developers", progressPercent: 25 })
        .expect(200);
      await expect
        .poll(async () => (await progressOf(two.app, user.auth)).body.data.modules.length, {
          timeout: 5000,
          interval: 25,
        })
        .toBe(1);
    });

    it("shares one rate-limit quota per user across instances", async () => {
      const user = await signUp(one.app, "quota");
      const a = await request(one.app).get("/api/education/modules").set(user.auth);
      const b = await request(two.app).get("/api/education/modules").set(user.auth);
      expect(Number(b.headers["x-ratelimit-remaining"])).toBe(Number(a.headers["x-ratelimit-remaining"]) - 1);
    });
  });
});
