import { randomBytes } from "node:crypto";
import type { Transaction } from "../db/database.js";

/** A certification a user just earned. */
export interface EarnedCertification {
  slug: string;
  title: string;
  certificateCode: string;
}

/**
 * Issues every published certification whose required modules the user has all completed and
 * that the user does not hold yet, and adds its XP. Call it inside the transaction that completed
 * a module, after `lockUserProgress`: the lock is what keeps two concurrent completions from
 * issuing the same certificate twice. (The schema cannot: user_certifications keeps one row per
 * attempt, and the data generator's history has users with repeated passed attempts, so a unique
 * index on (user_id, certification_id) WHERE passed would reject existing data.
 * idx_user_certs_passed, (user_id, passed) WHERE passed, makes the "holds it already" check an
 * index lookup.)
 */
export async function awardEarnedCertifications(
  tx: Transaction,
  userId: string,
): Promise<EarnedCertification[]> {
  const { rows } = await tx.query<{ id: string; slug: string; title: string; xpReward: number }>(
    `SELECT c.id, c.slug, c.title, c.xp_reward AS "xpReward"
       FROM certifications c
      WHERE c.is_published
        AND EXISTS (SELECT 1 FROM certification_requirements r WHERE r.certification_id = c.id)
        AND NOT EXISTS (
          SELECT 1 FROM certification_requirements r
           WHERE r.certification_id = c.id
             AND NOT EXISTS (SELECT 1 FROM user_learning_progress p
                              WHERE p.user_id = $1 AND p.module_id = r.module_id AND p.status = 'completed'))
        AND NOT EXISTS (SELECT 1 FROM user_certifications uc
                         WHERE uc.user_id = $1 AND uc.certification_id = c.id AND uc.passed = true)
      ORDER BY c.slug`,
    [userId],
  );
  const earned: EarnedCertification[] = [];
  for (const certification of rows) {
    const code = `KEEL-${randomBytes(6).toString("hex").toUpperCase()}`;
    await tx.query(
      `INSERT INTO user_certifications (user_id, certification_id, score_percent, passed, issued_at, certificate_code)
       VALUES ($1, $2, 100, true, now(), $3)`,
      [userId, certification.id, code],
    );
    await tx.query("UPDATE users SET total_xp = total_xp + $2, updated_at = now() WHERE id = $1", [
      userId,
      certification.xpReward,
    ]);
    earned.push({ slug: certification.slug, title: certification.title, certificateCode: code });
  }
  return earned;
}
