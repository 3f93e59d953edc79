import type { Database, Queryable, Transaction } from "../db/database.js";
import { notFound } from "../http/api-error.js";
import { awardEarnedCertifications, type EarnedCertification } from "./certifications.js";

/**
 * A user's progress: XP, modules, tutorials and certificates. Read from the primary, never the
 * replica (a user reads their own writes). Modules and tutorials are named by slug only, so an
 * admin's edit of a title does not make every user's cached progress stale.
 */
export async function getProgress(db: Queryable, userId: string) {
  const [user, modules, tutorials, certifications] = await Promise.all([
    db.query<{ totalXp: number }>(`SELECT total_xp AS "totalXp" FROM users WHERE id = $1`, [userId]),
    db.query(
      `SELECT m.slug AS "moduleSlug", p.status, p.progress_percent AS "progressPercent",
              p.time_spent_seconds AS "timeSpentSeconds", p.started_at AS "startedAt",
              p.completed_at AS "completedAt", p.last_accessed_at AS "lastAccessedAt"
         FROM user_learning_progress p JOIN modules m ON m.id = p.module_id
        WHERE p.user_id = $1 ORDER BY m.sort_order, m.slug`,
      [userId],
    ),
    db.query(
      `SELECT t.slug AS "tutorialSlug", p.status, p.completed_steps AS "completedSteps",
              (SELECT count(*) FROM tutorial_steps s WHERE s.tutorial_id = t.id) AS "totalSteps",
              p.started_at AS "startedAt", p.completed_at AS "completedAt"
         FROM user_tutorial_progress p JOIN tutorials t ON t.id = p.tutorial_id
        WHERE p.user_id = $1 ORDER BY t.sort_order, t.slug`,
      [userId],
    ),
    db.query(
      `SELECT c.slug, c.title, uc.certificate_code AS "certificateCode", uc.issued_at AS "issuedAt"
         FROM user_certifications uc JOIN certifications c ON c.id = uc.certification_id
        WHERE uc.user_id = $1 AND uc.passed = true ORDER BY uc.issued_at, c.slug`,
      [userId],
    ),
  ]);
  return {
    totalXp: user.rows[0]?.totalXp ?? 0,
    modules: modules.rows,
    tutorials: tutorials.rows,
    certifications: certifications.rows,
  };
}

/** What `POST /api/education/progress` records for one module. */
export interface ModuleProgressUpdate {
  moduleSlug: string;
  /** @default "in_progress" */
  status?: "in_progress" | "completed" | undefined;
  /** 0-100; "completed" means 100. */
  progressPercent?: number | undefined;
  /** Seconds to add to the time spent. @default 0 */
  timeSpentSeconds?: number | undefined;
}

/**
 * Serializes one user's progress writes (two tabs completing the same module at once): under it,
 * "was this already completed?" read before the write stays true until the commit, so XP and
 * certificates are awarded once. Other users are not blocked.
 */
export async function lockUserProgress(tx: Transaction, userId: string): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock(hashtext('keel-education:progress:' || $1))", [userId]);
}

async function addXp(tx: Transaction, userId: string, xp: number): Promise<void> {
  if (xp > 0) {
    await tx.query("UPDATE users SET total_xp = total_xp + $2, updated_at = now() WHERE id = $1", [
      userId,
      xp,
    ]);
  }
}

/**
 * Records progress through a module. Completion is one-way (a completed module stays completed),
 * awards the module's XP once, and issues every certification whose modules are now all complete.
 *
 * @throws ApiError 404 when the module does not exist or is not published.
 */
export async function updateModuleProgress(db: Database, userId: string, update: ModuleProgressUpdate) {
  return db.transaction(async (tx) => {
    const found = await tx.query<{ id: string; xpReward: number }>(
      `SELECT id, xp_reward AS "xpReward" FROM modules WHERE slug = $1 AND is_published`,
      [update.moduleSlug],
    );
    const module = found.rows[0];
    if (module === undefined) throw notFound(`module "${update.moduleSlug}"`);
    await lockUserProgress(tx, userId);
    const previous = await tx.query<{ status: string }>(
      "SELECT status FROM user_learning_progress WHERE user_id = $1 AND module_id = $2",
      [userId, module.id],
    );
    const wasCompleted = previous.rows[0]?.status === "completed";
    const completed = update.status === "completed";
    const { rows } = await tx.query<{ status: string }>(
      `INSERT INTO user_learning_progress AS p
              (user_id, module_id, status, progress_percent, time_spent_seconds, started_at, completed_at, last_accessed_at)
       VALUES ($1, $2, CASE WHEN $3 THEN 'completed' ELSE 'in_progress' END,
               CASE WHEN $3 THEN 100 ELSE coalesce($4::int, 0) END, $5, now(), CASE WHEN $3 THEN now() END, now())
       ON CONFLICT (user_id, module_id) DO UPDATE SET
         status = CASE WHEN p.status = 'completed' OR $3 THEN 'completed' ELSE 'in_progress' END,
         progress_percent = CASE WHEN p.status = 'completed' OR $3 THEN 100
                                 ELSE coalesce($4::int, p.progress_percent) END,
         time_spent_seconds = p.time_spent_seconds + $5,
         started_at = coalesce(p.started_at, now()),
         completed_at = CASE WHEN p.status = 'completed' THEN p.completed_at WHEN $3 THEN now() END,
         last_accessed_at = now()
       RETURNING status`,
      [userId, module.id, completed, update.progressPercent ?? null, update.timeSpentSeconds ?? 0],
    );
    const row = rows[0]!;
    let earned: EarnedCertification[] = [];
    if (row.status === "completed" && !wasCompleted) {
      await addXp(tx, userId, module.xpReward);
      earned = await awardEarnedCertifications(tx, userId);
    }
    return { moduleSlug: update.moduleSlug, status: row.status, earnedCertifications: earned };
  });
}

/**
 * Marks one step of a tutorial complete (idempotent), recounts the user's completed steps, and
 * completes the tutorial, with its XP, when every step is done.
 *
 * @throws ApiError 404 when the tutorial or the step does not exist.
 */
export async function completeTutorialStep(db: Database, userId: string, slug: string, position: number) {
  return db.transaction(async (tx) => {
    const found = await tx.query<{
      tutorialId: string;
      stepId: string;
      xpReward: number;
      totalSteps: number;
    }>(
      `SELECT t.id AS "tutorialId", s.id AS "stepId", t.xp_reward AS "xpReward",
              (SELECT count(*) FROM tutorial_steps a WHERE a.tutorial_id = t.id) AS "totalSteps"
         FROM tutorials t JOIN tutorial_steps s ON s.tutorial_id = t.id
        WHERE t.slug = $1 AND t.is_published AND s.position = $2`,
      [slug, position],
    );
    const step = found.rows[0];
    if (step === undefined) throw notFound(`step ${position} of tutorial "${slug}"`);
    await lockUserProgress(tx, userId);
    await tx.query(
      "INSERT INTO tutorial_step_completions (user_id, step_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
      [userId, step.stepId],
    );
    const { rows } = await tx.query<{ status: string; completedSteps: number; newlyCompleted: boolean }>(
      `WITH done AS (
         SELECT count(*)::int AS n FROM tutorial_step_completions c
           JOIN tutorial_steps s ON s.id = c.step_id
          WHERE c.user_id = $1 AND s.tutorial_id = $2
       ), previous AS (
         SELECT status FROM user_tutorial_progress WHERE user_id = $1 AND tutorial_id = $2
       )
       INSERT INTO user_tutorial_progress AS p
              (user_id, tutorial_id, status, completed_steps, started_at, completed_at, last_accessed_at)
       SELECT $1, $2, CASE WHEN done.n >= $3 THEN 'completed' ELSE 'in_progress' END, done.n, now(),
              CASE WHEN done.n >= $3 THEN now() END, now()
         FROM done
       ON CONFLICT (user_id, tutorial_id) DO UPDATE SET
         status = EXCLUDED.status,
         completed_steps = EXCLUDED.completed_steps,
         completed_at = coalesce(p.completed_at, EXCLUDED.completed_at),
         last_accessed_at = now()
       RETURNING status, completed_steps AS "completedSteps",
                 (status = 'completed' AND coalesce((SELECT status FROM previous), '') <> 'completed') AS "newlyCompleted"`,
      [userId, step.tutorialId, step.totalSteps],
    );
    const row = rows[0]!;
    if (row.newlyCompleted) await addXp(tx, userId, step.xpReward);
    return {
      tutorialSlug: slug,
      step: position,
      status: row.status,
      completedSteps: row.completedSteps,
      totalSteps: step.totalSteps,
    };
  });
}
