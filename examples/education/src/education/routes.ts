import type { Cache } from "@keel/cache";
import { type Request, Router } from "express";
import { requireRole, requireUser } from "../auth/authenticate.js";
import type { Database } from "../db/database.js";
import { notFound } from "../http/api-error.js";
import { cachedJson } from "../http/cached-json.js";
import { bodyOf, boolean, integer, oneOf, optionalString, slug } from "../http/validate.js";
import { updateModule } from "./admin.js";
import {
  type CatalogFilter,
  findModule,
  findTutorial,
  listCertifications,
  listChallenges,
  listModules,
  listTutorials,
} from "./catalog.js";
import { completeTutorialStep, getProgress, updateModuleProgress } from "./progress.js";

/** The original's TTLs, in seconds: the catalog for an hour, a user's progress for five minutes. */
export const TTL = { catalog: 3600, progress: 300 } as const;

const DIFFICULTIES = ["beginner", "intermediate", "advanced"] as const;

/** Cache tags: what each write invalidates, and nothing more. */
export const tags = {
  moduleList: "modules:list",
  module: (slug: string) => `module:${slug}`,
  tutorialList: "tutorials:list",
  tutorial: (slug: string) => `tutorial:${slug}`,
  challenges: "challenges",
  certifications: "certifications",
  progress: (userId: string) => `progress:${userId}`,
} as const;

function catalogFilter(req: Request): CatalogFilter {
  const { category, difficulty } = req.query;
  return {
    category: category === undefined ? undefined : slug(category, "query.category"),
    difficulty: oneOf(difficulty, DIFFICULTIES, "query.difficulty"),
  };
}

const filterKey = (filter: CatalogFilter) =>
  `category=${filter.category ?? ""}&difficulty=${filter.difficulty ?? ""}`;

/**
 * `/api/education`: the catalog (cached an hour, tagged), the signed-in user's progress (cached
 * five minutes per user), and the writes that invalidate exactly the entries they change.
 * Mount it after `authenticate` and the rate limiter.
 *
 * @example
 * ```ts
 * app.use("/api/education", authenticate(db, secret, clock), rateLimit, educationRouter(db, cache));
 * ```
 */
export function educationRouter(db: Database, cache: Cache): Router {
  const router = Router();

  router.get(
    "/modules",
    cachedJson(cache, {
      ttl: TTL.catalog,
      params: catalogFilter,
      key: (filter) => `modules?${filterKey(filter)}`,
      tags: () => [tags.moduleList],
      load: (filter) => listModules(db, filter),
    }),
  );
  router.get(
    "/modules/:slug",
    cachedJson(cache, {
      ttl: TTL.catalog,
      params: (req) => slug(req.params.slug, "params.slug"),
      key: (moduleSlug) => `module:${moduleSlug}`,
      tags: (moduleSlug) => [tags.module(moduleSlug)],
      load: async (moduleSlug) =>
        (await findModule(db, moduleSlug)) ?? Promise.reject(notFound(`module "${moduleSlug}"`)),
    }),
  );
  router.patch("/modules/:slug", requireRole("admin"), async (req, res) => {
    const moduleSlug = slug(req.params.slug, "params.slug");
    const body = bodyOf(req.body);
    const updated = await updateModule(db, moduleSlug, {
      title: optionalString(body, "title", "body.title", 200),
      description: optionalString(body, "description", "body.description", 2000),
      difficulty: oneOf(body.difficulty, DIFFICULTIES, "body.difficulty"),
      estimatedMinutes: integer(body.estimatedMinutes, "body.estimatedMinutes", 1, 10_000),
      xpReward: integer(body.xpReward, "body.xpReward", 0, 100_000),
      isPublished: boolean(body.isPublished, "body.isPublished"),
    });
    // The module list and this module's page; tutorials, certifications and progress name
    // modules by slug only, which a PATCH cannot change.
    await cache.invalidateTags([tags.moduleList, tags.module(moduleSlug)]);
    res.json({ success: true, data: updated });
  });

  router.get(
    "/tutorials",
    cachedJson(cache, {
      ttl: TTL.catalog,
      params: catalogFilter,
      key: (filter) => `tutorials?${filterKey(filter)}`,
      tags: () => [tags.tutorialList],
      load: (filter) => listTutorials(db, filter),
    }),
  );
  router.get(
    "/tutorials/:slug",
    cachedJson(cache, {
      ttl: TTL.catalog,
      params: (req) => slug(req.params.slug, "params.slug"),
      key: (tutorialSlug) => `tutorial:${tutorialSlug}`,
      tags: (tutorialSlug) => [tags.tutorial(tutorialSlug)],
      load: async (tutorialSlug) =>
        (await findTutorial(db, tutorialSlug)) ?? Promise.reject(notFound(`tutorial "${tutorialSlug}"`)),
    }),
  );
  router.post("/tutorials/:slug/steps/:position/complete", requireUser, async (req, res) => {
    const tutorialSlug = slug(req.params.slug, "params.slug");
    const position = integer(req.params.position, "params.position", 1, 1000)!;
    const userId = req.user!.id;
    const result = await completeTutorialStep(db, userId, tutorialSlug, position);
    await cache.invalidateTags([tags.progress(userId)]);
    res.json({ success: true, data: result });
  });

  router.get(
    "/challenges",
    cachedJson(cache, {
      ttl: TTL.catalog,
      params: (req) => oneOf(req.query.difficulty, DIFFICULTIES, "query.difficulty"),
      key: (difficulty) => `challenges?difficulty=${difficulty ?? ""}`,
      tags: () => [tags.challenges],
      load: (difficulty) => listChallenges(db, { difficulty }),
    }),
  );
  router.get(
    "/certifications",
    cachedJson(cache, {
      ttl: TTL.catalog,
      params: () => undefined,
      key: () => "certifications",
      tags: () => [tags.certifications],
      load: () => listCertifications(db),
    }),
  );

  router.get(
    "/progress",
    requireUser,
    cachedJson(cache, {
      ttl: TTL.progress,
      private: true,
      params: (req) => req.user!.id,
      key: () => "progress",
      tags: (userId) => [tags.progress(userId)],
      load: (userId) => getProgress(db, userId),
    }),
  );
  router.post("/progress", requireUser, async (req, res) => {
    const body = bodyOf(req.body);
    const userId = req.user!.id;
    const result = await updateModuleProgress(db, userId, {
      moduleSlug: slug(body.moduleSlug, "body.moduleSlug"),
      status: oneOf(body.status, ["in_progress", "completed"] as const, "body.status"),
      progressPercent: integer(body.progressPercent, "body.progressPercent", 0, 100),
      timeSpentSeconds: integer(body.timeSpentSeconds, "body.timeSpentSeconds", 0, 86_400),
    });
    await cache.invalidateTags([tags.progress(userId)]);
    res.json({ success: true, data: result });
  });

  return router;
}
