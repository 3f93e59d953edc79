import { hashPassword, type ScryptCost } from "../auth/password.js";
import type { Database, Queryable, Transaction } from "../db/database.js";
import {
  DEMO_CERTIFICATIONS,
  DEMO_CHALLENGES,
  DEMO_LEARNING_PATHS,
  DEMO_MODULES,
  DEMO_TUTORIALS,
} from "./demo-content.js";

/**
 * The demo accounts a first start creates, with their known passwords: for trying the API
 * locally, never for a deployment anyone else can reach.
 */
export const DEMO_USERS = {
  learner: { email: "demo@keel.dev", password: "keel-demo-password", displayName: "Demo Learner" },
  admin: { email: "admin@keel.dev", password: "keel-admin-password", displayName: "Demo Admin" },
  wallet: { walletAddress: "0xdec0de00000000000000000000000000000000ed", displayName: "Wallet Learner" },
} as const;

/** Options for {@link seedDemoData}. */
export interface SeedDemoOptions {
  /** scrypt cost of the demo passwords (tests pass a cheap one). @default DEFAULT_SCRYPT_COST */
  scryptCost?: ScryptCost;
}

async function insertCatalog(tx: Transaction): Promise<Map<string, string>> {
  const moduleIds = new Map<string, string>();
  for (const [order, m] of DEMO_MODULES.entries()) {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO modules (slug, title, description, category, difficulty, sort_order)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [m.slug, m.title, m.description, m.category, m.difficulty, order + 1],
    );
    const id = rows[0]!.id;
    moduleIds.set(m.slug, id);
    for (const [position, c] of m.content.entries()) {
      await tx.query(
        "INSERT INTO module_content (module_id, position, content_type, title, body) VALUES ($1, $2, $3, $4, $5)",
        [id, position + 1, c.type, c.title, c.body],
      );
    }
    const questions = m.quiz.questions.map(({ prompt, options }) => ({ prompt, options }));
    await tx.query("INSERT INTO quizzes (module_id, title, questions, answer_key) VALUES ($1, $2, $3, $4)", [
      id,
      m.quiz.title,
      JSON.stringify(questions),
      JSON.stringify(m.quiz.questions.map((q) => q.answer)),
    ]);
  }
  for (const [order, t] of DEMO_TUTORIALS.entries()) {
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO tutorials (slug, module_id, title, description, category, difficulty, sort_order)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [t.slug, moduleIds.get(t.module), t.title, t.description, t.category, t.difficulty, order + 1],
    );
    for (const [position, s] of t.steps.entries()) {
      await tx.query(
        "INSERT INTO tutorial_steps (tutorial_id, position, title, body, starter_code) VALUES ($1, $2, $3, $4, $5)",
        [rows[0]!.id, position + 1, s.title, s.body, s.starterCode ?? null],
      );
    }
  }
  for (const c of DEMO_CHALLENGES) {
    await tx.query(
      `INSERT INTO challenges (slug, title, description, difficulty, language, starter_code, solution, hidden_tests)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        c.slug,
        c.title,
        c.description,
        c.difficulty,
        c.language,
        c.starterCode,
        c.solution,
        JSON.stringify(c.hiddenTests),
      ],
    );
  }
  for (const c of DEMO_CERTIFICATIONS) {
    await tx.query(
      `WITH cert AS (
         INSERT INTO certifications (slug, title, description, skill_level) VALUES ($1, $2, $3, $4) RETURNING id
       )
       INSERT INTO certification_requirements (certification_id, module_id)
       SELECT cert.id, m.id FROM cert, modules m WHERE m.slug = ANY($5::text[])`,
      [c.slug, c.title, c.description, c.skillLevel, c.modules],
    );
  }
  for (const p of DEMO_LEARNING_PATHS) {
    await tx.query(
      `WITH path AS (
         INSERT INTO learning_paths (slug, title, description, skill_level) VALUES ($1, $2, $3, $4) RETURNING id
       )
       INSERT INTO learning_path_modules (learning_path_id, module_id, position)
       SELECT path.id, m.id, array_position($5::text[], m.slug) FROM path, modules m WHERE m.slug = ANY($5::text[])`,
      [p.slug, p.title, p.description, p.skillLevel, p.modules],
    );
  }
  return moduleIds;
}

async function insertUsers(
  tx: Transaction,
  moduleIds: Map<string, string>,
  hashes: { learner: string; admin: string },
): Promise<void> {
  const { learner, admin, wallet } = DEMO_USERS;
  const { rows } = await tx.query<{ id: string }>(
    "INSERT INTO users (email, password_hash, display_name) VALUES ($1, $2, $3) RETURNING id",
    [learner.email, hashes.learner, learner.displayName],
  );
  await tx.query(
    "INSERT INTO users (email, password_hash, display_name, role) VALUES ($1, $2, $3, 'admin')",
    [admin.email, hashes.admin, admin.displayName],
  );
  await tx.query("INSERT INTO users (wallet_address, display_name) VALUES ($1, $2)", [
    wallet.walletAddress,
    wallet.displayName,
  ]);
  // The demo learner has started: GET /progress has something to show.
  await tx.query(
    `INSERT INTO user_learning_progress (user_id, module_id, status, progress_percent, started_at)
     VALUES ($1, $2, 'in_progress', 33, now() - interval '2 days')`,
    [rows[0]!.id, moduleIds.get("javascript-fundamentals")],
  );
}

/**
 * Fills an empty, migrated database with the demo catalog (4 modules with content and a quiz
 * each, 3 tutorials with steps, 3 challenges, 2 certifications, 2 learning paths) and the
 * {@link DEMO_USERS}. Runs once: if the demo learner exists it does nothing, and two instances
 * starting together seed once (an advisory lock serializes them).
 *
 * @returns whether this call seeded.
 * @example
 * ```ts
 * await migrate(db);
 * const { seeded } = await seedDemoData(db);
 * ```
 */
export async function seedDemoData(
  db: Database,
  options: SeedDemoOptions = {},
): Promise<{ seeded: boolean }> {
  const seeded = async (q: Queryable) =>
    (await q.query("SELECT 1 FROM users WHERE email = $1", [DEMO_USERS.learner.email])).rows.length > 0;
  if (await seeded(db)) return { seeded: false };
  // Hashing is slow on purpose: do it before the transaction, not while holding the lock.
  const [learner, admin] = await Promise.all([
    hashPassword(DEMO_USERS.learner.password, options.scryptCost),
    hashPassword(DEMO_USERS.admin.password, options.scryptCost),
  ]);
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('keel-education:seed:' || current_schema()))");
    if (await seeded(tx)) return { seeded: false };
    const moduleIds = await insertCatalog(tx);
    await insertUsers(tx, moduleIds, { learner, admin });
    return { seeded: true };
  });
}
