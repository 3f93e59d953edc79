import type { Cache } from "@keel/cache";
import { type Request, type RequestHandler, Router } from "express";
import { requireRole, requireUser } from "../auth/authenticate.js";
import type { Database } from "../db/database.js";
import { notFound } from "../http/api-error.js";
import { privateCache, sharedCache } from "../http/route-cache.js";
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

/** Validates the request (a 400 naming the field) before the cache builds a key from it. */
const validated =
  (check: (req: Request) => unknown): RequestHandler =>
  (req, _res, next) => {
    check(req);
    next();
  };
const slugParam = (req: Request) => slug(req.params.slug, "params.slug");
const challengeDifficulty = (req: Request) => oneOf(req.query.difficulty, DIFFICULTIES, "query.difficulty");

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
export function educationRouter(
  db: Database,
  cache: Cache,
  options: { responseCache?: boolean } = {},
): Router {
  const router = Router();
  // With the response cache off, routes read the database every time; writes still invalidate.
  const responses = options.responseCache === false ? undefined : cache;
  const ok = (data: unknown) => ({ success: true, data });

  router.get(
    "/modules",
    validated(catalogFilter),
    ...sharedCache(responses, {
      ttl: TTL.catalog,
      key: (req) => `/modules?${filterKey(catalogFilter(req))}`,
      tags: () => [tags.moduleList],
    }),
    async (req, res) => {
      res.json(ok(await listModules(db, catalogFilter(req))));
    },
  );
  router.get(
    "/modules/:slug",
    validated(slugParam),
    ...sharedCache(responses, {
      ttl: TTL.catalog,
      key: (req) => `/modules/${slugParam(req)}`,
      tags: (req) => [tags.module(slugParam(req))],
    }),
    async (req, res) => {
      const module = await findModule(db, slugParam(req));
      if (module === undefined) throw notFound(`module "${slugParam(req)}"`);
      res.json(ok(module));
    },
  );
  router.patch("/modules/:slug", requireRole("admin"), async (req, res) => {
    const target = slugParam(req);
    const body = bodyOf(req.body);
    const updated = await updateModule(db, target, {
      title: optionalString(body, "title", "body.title", 200),
      description: optionalString(body, "description", "body.description", 2000),
      difficulty: oneOf(body.difficulty, DIFFICULTIES, "body.difficulty"),
      estimatedMinutes: integer(body.estimatedMinutes, "body.estimatedMinutes", 1, 10_000),
      xpReward: integer(body.xpReward, "body.xpReward", 0, 100_000),
      isPublished: boolean(body.isPublished, "body.isPublished"),
    });
    // The module list and this module's page; tutorials, certifications and progress name
    // modules by slug only, which a PATCH cannot change.
    await cache.invalidateTags([tags.moduleList, tags.module(target)]);
    res.json(ok(updated));
  });

  router.get(
    "/tutorials",
    validated(catalogFilter),
    ...sharedCache(responses, {
      ttl: TTL.catalog,
      key: (req) => `/tutorials?${filterKey(catalogFilter(req))}`,
      tags: () => [tags.tutorialList],
    }),
    async (req, res) => {
      res.json(ok(await listTutorials(db, catalogFilter(req))));
    },
  );
  router.get(
    "/tutorials/:slug",
    validated(slugParam),
    ...sharedCache(responses, {
      ttl: TTL.catalog,
      key: (req) => `/tutorials/${slugParam(req)}`,
      tags: (req) => [tags.tutorial(slugParam(req))],
    }),
    async (req, res) => {
      const tutorial = await findTutorial(db, slugParam(req));
      if (tutorial === undefined) throw notFound(`tutorial "${slugParam(req)}"`);
      res.json(ok(tutorial));
    },
  );
  router.post("/tutorials/:slug/steps/:position/complete", requireUser, async (req, res) => {
    const tutorialSlug = slug(req.params.slug, "params.slug");
    const position = integer(req.params.position, "params.position", 1, 1000)!;
    const userId = req.user!.id;
    const result = await completeTutorialStep(db, userId, tutorialSlug, position);
    await cache.invalidateTags([tags.progress(userId)]);
    res.json(ok(result));
  });

  router.get(
    "/challenges",
    validated(challengeDifficulty),
    ...sharedCache(responses, {
      ttl: TTL.catalog,
      key: (req) => `/challenges?difficulty=${challengeDifficulty(req) ?? ""}`,
      tags: () => [tags.challenges],
    }),
    async (req, res) => {
      res.json(ok(await listChallenges(db, { difficulty: challengeDifficulty(req) })));
    },
  );
  router.get(
    "/certifications",
    ...sharedCache(responses, {
      ttl: TTL.catalog,
      key: () => "/certifications",
      tags: () => [tags.certifications],
    }),
    async (_req, res) => {
      res.json(ok(await listCertifications(db)));
    },
  );

  router.get(
    "/progress",
    requireUser,
    privateCache(responses, TTL.progress, (req) => [tags.progress(req.user!.id)]),
    async (req, res) => {
      // private: no shared cache on the way may keep it; the browser revalidates (ETag, 304).
      res.setHeader("Cache-Control", "private");
      res.json(ok(await getProgress(db, req.user!.id)));
    },
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
    res.json(ok(result));
  });

  return router;
}
