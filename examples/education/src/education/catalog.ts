import type { Queryable } from "../db/database.js";

// The public catalog. Every query is parameterized, reads only published rows, and reads quizzes
// and challenges through the public_quizzes and public_challenges views, so answer keys,
// solutions and hidden tests never leave the database on these paths.

/** Filters of the list routes (`?category=&difficulty=`). */
export interface CatalogFilter {
  category?: string | undefined;
  difficulty?: "beginner" | "intermediate" | "advanced" | undefined;
}

const MODULE_COLUMNS = `m.id, m.slug, m.title, m.description, m.category, m.difficulty,
  m.sort_order AS "sortOrder", m.estimated_minutes AS "estimatedMinutes", m.xp_reward AS "xpReward",
  m.updated_at AS "updatedAt"`;

/** Published modules, in course order. */
export async function listModules(db: Queryable, filter: CatalogFilter = {}) {
  const { rows } = await db.query(
    `SELECT ${MODULE_COLUMNS} FROM modules m
      WHERE m.is_published AND ($1::text IS NULL OR m.category = $1) AND ($2::text IS NULL OR m.difficulty = $2)
      ORDER BY m.sort_order, m.slug`,
    [filter.category ?? null, filter.difficulty ?? null],
  );
  return rows;
}

/** One published module with its content, quizzes (questions only) and tutorials; undefined if none. */
export async function findModule(db: Queryable, slug: string) {
  const { rows } = await db.query<{ id: string }>(
    `SELECT ${MODULE_COLUMNS} FROM modules m WHERE m.slug = $1 AND m.is_published`,
    [slug],
  );
  const module = rows[0];
  if (module === undefined) return undefined;
  const [content, quizzes, tutorials] = await Promise.all([
    db.query(
      `SELECT position, content_type AS "type", title, body FROM module_content
        WHERE module_id = $1 ORDER BY position`,
      [module.id],
    ),
    db.query(
      `SELECT id, title, questions, pass_percent AS "passPercent" FROM public_quizzes
        WHERE module_id = $1 ORDER BY created_at, id`,
      [module.id],
    ),
    db.query(
      `SELECT slug, title, difficulty FROM tutorials WHERE module_id = $1 AND is_published
        ORDER BY sort_order, slug`,
      [module.id],
    ),
  ]);
  return { ...module, content: content.rows, quizzes: quizzes.rows, tutorials: tutorials.rows };
}

const TUTORIAL_COLUMNS = `t.id, t.slug, t.title, t.description, t.category, t.difficulty,
  t.sort_order AS "sortOrder", t.estimated_minutes AS "estimatedMinutes", t.xp_reward AS "xpReward",
  m.slug AS "moduleSlug",
  (SELECT count(*) FROM tutorial_steps s WHERE s.tutorial_id = t.id) AS "stepCount"`;

/** Published tutorials, in course order, each with its step count. */
export async function listTutorials(db: Queryable, filter: CatalogFilter = {}) {
  const { rows } = await db.query(
    `SELECT ${TUTORIAL_COLUMNS} FROM tutorials t LEFT JOIN modules m ON m.id = t.module_id
      WHERE t.is_published AND ($1::text IS NULL OR t.category = $1) AND ($2::text IS NULL OR t.difficulty = $2)
      ORDER BY t.sort_order, t.slug`,
    [filter.category ?? null, filter.difficulty ?? null],
  );
  return rows;
}

/** One published tutorial with its steps, in order; undefined if none. */
export async function findTutorial(db: Queryable, slug: string) {
  const { rows } = await db.query<{ id: string }>(
    `SELECT ${TUTORIAL_COLUMNS} FROM tutorials t LEFT JOIN modules m ON m.id = t.module_id
      WHERE t.slug = $1 AND t.is_published`,
    [slug],
  );
  const tutorial = rows[0];
  if (tutorial === undefined) return undefined;
  const steps = await db.query(
    `SELECT id, position, title, body, starter_code AS "starterCode" FROM tutorial_steps
      WHERE tutorial_id = $1 ORDER BY position`,
    [tutorial.id],
  );
  return { ...tutorial, steps: steps.rows };
}

/** Published challenges, without solutions or hidden tests (from public_challenges). */
export async function listChallenges(db: Queryable, filter: CatalogFilter = {}) {
  const { rows } = await db.query(
    `SELECT id, slug, title, description, difficulty, language, starter_code AS "starterCode",
            xp_reward AS "xpReward"
       FROM public_challenges
      WHERE is_published AND ($1::text IS NULL OR difficulty = $1)
      ORDER BY CASE difficulty WHEN 'beginner' THEN 1 WHEN 'intermediate' THEN 2 ELSE 3 END, slug`,
    [filter.difficulty ?? null],
  );
  return rows;
}

/** Published certifications, each with the slugs of the modules it requires. */
export async function listCertifications(db: Queryable) {
  const { rows } = await db.query(
    `SELECT c.id, c.slug, c.title, c.description, c.skill_level AS "skillLevel", c.xp_reward AS "xpReward",
            coalesce(array_agg(m.slug ORDER BY m.sort_order) FILTER (WHERE m.slug IS NOT NULL), '{}') AS "requiredModules"
       FROM certifications c
       LEFT JOIN certification_requirements r ON r.certification_id = c.id
       LEFT JOIN modules m ON m.id = r.module_id
      WHERE c.is_published
      GROUP BY c.id
      ORDER BY c.slug`,
  );
  return rows;
}
