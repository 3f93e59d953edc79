import type { Database } from "../db/database.js";
import { notFound } from "../http/api-error.js";

/** The module fields an admin may change; absent fields stay as they are. */
export interface ModulePatch {
  title?: string | undefined;
  description?: string | undefined;
  difficulty?: "beginner" | "intermediate" | "advanced" | undefined;
  estimatedMinutes?: number | undefined;
  xpReward?: number | undefined;
  isPublished?: boolean | undefined;
}

/**
 * Updates a module (published or not) and returns its slug and new values.
 *
 * @throws ApiError 404 when no module has that slug.
 */
export async function updateModule(db: Database, slug: string, patch: ModulePatch) {
  const { rows } = await db.query(
    `UPDATE modules SET
       title = coalesce($2, title),
       description = coalesce($3, description),
       difficulty = coalesce($4, difficulty),
       estimated_minutes = coalesce($5, estimated_minutes),
       xp_reward = coalesce($6, xp_reward),
       is_published = coalesce($7, is_published),
       updated_at = now()
     WHERE slug = $1
     RETURNING slug, title, description, difficulty, estimated_minutes AS "estimatedMinutes",
               xp_reward AS "xpReward", is_published AS "isPublished", updated_at AS "updatedAt"`,
    [
      slug,
      patch.title ?? null,
      patch.description ?? null,
      patch.difficulty ?? null,
      patch.estimatedMinutes ?? null,
      patch.xpReward ?? null,
      patch.isPublished ?? null,
    ],
  );
  if (rows[0] === undefined) throw notFound(`module "${slug}"`);
  return rows[0];
}
