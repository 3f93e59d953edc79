import { type GenerateStep, RECENT_TWO_YEARS } from "./generate-step.js";

// Skew: each user gets an activity level drawn from a Pareto distribution (alpha 1.16, the
// "80/20" shape, capped at 400): most users are 1-3, a few hundred per 100,000 are above 100.
// Every per-user row count below is a multiple of it. Subqueries that draw random() and use it
// twice end in OFFSET 0, which keeps PostgreSQL from inlining them and drawing it twice.
// Event rows are inserted in time order, the physical order a real table grows in.

const CONTENT_KIND =
  "(ARRAY['module', 'module', 'module', 'module', 'module', 'tutorial', 'tutorial', 'tutorial', 'challenge', 'quiz'])[1 + k % 10]";
const CONTENT_ID = `CASE s.kind WHEN 'module' THEN m.id WHEN 'tutorial' THEN t.id WHEN 'challenge' THEN c.id ELSE q.id END`;
const CONTENT_JOINS = `JOIN _gen_modules m ON m.i = s.slot % $1::int
  JOIN _gen_tutorials t ON t.i = s.slot % $2::int
  JOIN _gen_challenges c ON c.i = s.slot % $3::int
  JOIN _gen_quizzes q ON q.i = s.slot % $1::int`;

/** Users, then everything they do. */
export const ACTIVITY_STEPS: GenerateStep[] = [
  {
    table: "users",
    sql: `WITH drawn AS (
            INSERT INTO _gen_users (n, id, activity)
            SELECT n, gen_random_uuid(), least(400, floor(power(1 - random(), -1 / 1.16)))::int
              FROM generate_series(1, $1::int) AS n
            RETURNING n, id
          )
          INSERT INTO users (id, email, wallet_address, password_hash, display_name, role, is_active, created_at, last_login_at)
          SELECT id,
                 CASE WHEN n % 10 < 8 THEN format('learner%s.%s@example.test', n, $2::text) END,
                 CASE WHEN n % 10 >= 7 THEN '0x' || md5(id::text) || left(md5(n || $2::text), 8) END,
                 CASE WHEN n % 10 < 8 THEN $3::text END,
                 'Learner ' || n,
                 CASE WHEN n % 500 = 0 THEN 'instructor' ELSE 'learner' END,
                 n % 20 <> 0,
                 now() - interval '730 days' * random(),
                 now() - interval '60 days' * power(random(), 3)
            FROM drawn`,
    params: (c) => [c.users, c.tag, c.passwordHash],
  },
  {
    // Issued over the last 31 days, valid 30: about 3% expired, as with a daily cleanup.
    table: "refresh_tokens",
    sql: `INSERT INTO refresh_tokens (user_id, token_hash, expires_at, created_at, revoked_at)
          SELECT user_id, encode(sha256(convert_to(user_id::text || ':' || k || ':' || $1::text, 'UTF8')), 'hex'),
                 issued + interval '30 days', issued, CASE WHEN revoke THEN issued + interval '1 day' END
            FROM (SELECT g.id AS user_id, k, now() - interval '31 days' * random() AS issued, random() < 0.2 AS revoke
                    FROM _gen_users g CROSS JOIN LATERAL generate_series(1, least(10, 1 + g.activity / 4)) AS k
                  OFFSET 0) s`,
    params: (c) => [c.tag],
  },
  {
    // Access tokens live 15 minutes; about 5% of entries are past it, as with a frequent cleanup.
    table: "token_blacklist",
    sql: `INSERT INTO token_blacklist (jti, expires_at, created_at)
          SELECT md5(user_id::text || ':' || k || ':' || $1::text), expires, expires - interval '15 minutes'
            FROM (SELECT g.id AS user_id, k, now() + interval '15 minutes' * (random() * 1.05 - 0.05) AS expires
                    FROM _gen_users g CROSS JOIN LATERAL generate_series(1, 1 + g.activity / 3) AS k
                  OFFSET 0) s`,
    params: (c) => [c.tag],
  },
  {
    table: "user_learning_progress",
    sql: `INSERT INTO user_learning_progress
            (user_id, module_id, status, progress_percent, time_spent_seconds, started_at, completed_at, last_accessed_at)
          SELECT s.user_id, m.id, s.status,
                 CASE s.status WHEN 'completed' THEN 100 WHEN 'in_progress' THEN 5 + (s.r2 * 90)::int ELSE 0 END,
                 CASE s.status WHEN 'not_started' THEN 0 ELSE (600 + s.r2 * 20000)::int END,
                 CASE WHEN s.status <> 'not_started' THEN s.started END,
                 CASE WHEN s.status = 'completed' THEN least(now(), s.started + interval '1 day' * (1 + s.r2 * 30)) END,
                 least(now(), s.started + interval '1 day' * s.r2 * 40)
            FROM (SELECT g.id AS user_id, (g.n * 7919 + k) % $1::int AS slot, random() AS r2,
                         (ARRAY['completed', 'completed', 'completed', 'completed', 'completed', 'in_progress',
                                'in_progress', 'in_progress', 'in_progress', 'not_started'])[1 + floor(random() * 10)::int] AS status,
                         ${RECENT_TWO_YEARS} AS started
                    FROM _gen_users g CROSS JOIN LATERAL generate_series(1, least($1::int, g.activity * 3)) AS k
                  OFFSET 0) s
            JOIN _gen_modules m ON m.i = s.slot`,
    params: (c) => [c.modules],
  },
  {
    table: "user_tutorial_progress",
    sql: `INSERT INTO user_tutorial_progress
            (user_id, tutorial_id, status, completed_steps, started_at, completed_at, last_accessed_at)
          SELECT s.user_id, t.id, s.status,
                 CASE s.status WHEN 'completed' THEN $2::int WHEN 'in_progress' THEN 1 + (s.r2 * ($2::int - 2))::int ELSE 0 END,
                 CASE WHEN s.status <> 'not_started' THEN s.started END,
                 CASE WHEN s.status = 'completed' THEN least(now(), s.started + interval '1 hour' * (1 + s.r2 * 48)) END,
                 least(now(), s.started + interval '1 day' * s.r2 * 10)
            FROM (SELECT g.id AS user_id, (g.n * 31 + k) % $1::int AS slot, random() AS r2,
                         (ARRAY['completed', 'completed', 'completed', 'completed', 'in_progress', 'in_progress',
                                'in_progress', 'in_progress', 'in_progress', 'not_started'])[1 + floor(random() * 10)::int] AS status,
                         ${RECENT_TWO_YEARS} AS started
                    FROM _gen_users g CROSS JOIN LATERAL generate_series(1, least($1::int, g.activity)) AS k
                  OFFSET 0) s
            JOIN _gen_tutorials t ON t.i = s.slot`,
    params: (c) => [c.tutorials, c.stepsPerTutorial],
  },
  {
    table: "tutorial_step_completions",
    sql: `INSERT INTO tutorial_step_completions (user_id, step_id, completed_at)
          SELECT p.user_id, st.id, least(now(), p.started_at + st.position * interval '15 minutes')
            FROM _gen_users g
            JOIN user_tutorial_progress p ON p.user_id = g.id
            JOIN tutorial_steps st ON st.tutorial_id = p.tutorial_id AND st.position <= p.completed_steps`,
    params: () => [],
  },
  {
    table: "learning_time_tracking",
    sql: `INSERT INTO learning_time_tracking (user_id, content_type, content_id, session_start, session_end, duration_seconds)
          SELECT s.user_id, s.kind, ${CONTENT_ID}, s.started, s.started + s.duration * interval '1 second', s.duration
            FROM (SELECT g.id AS user_id, g.n + k AS slot, ${CONTENT_KIND} AS kind, ${RECENT_TWO_YEARS} AS started,
                         (300 + random() * 5400)::int AS duration
                    FROM _gen_users g CROSS JOIN LATERAL generate_series(1, g.activity * 8) AS k
                  OFFSET 0) s
            ${CONTENT_JOINS}
           ORDER BY s.started`,
    params: (c) => [c.modules, c.tutorials, c.challenges],
  },
  {
    table: "quiz_performance",
    sql: `INSERT INTO quiz_performance (user_id, quiz_id, attempt, score_percent, passed, time_spent_seconds, attempted_at)
          SELECT s.user_id, q.id, s.attempt, s.score, s.score >= 70, s.spent, s.at
            FROM (SELECT g.id AS user_id, g.n * 7 + k / 2 AS slot, 1 + k % 2 AS attempt, (random() * 100)::int AS score,
                         (60 + random() * 900)::int AS spent, ${RECENT_TWO_YEARS} AS at
                    FROM _gen_users g CROSS JOIN LATERAL generate_series(0, g.activity * 2 - 1) AS k
                  OFFSET 0) s
            JOIN _gen_quizzes q ON q.i = s.slot % $1::int
           ORDER BY s.at`,
    params: (c) => [c.modules],
  },
  {
    // About three submissions per tutorial a user works on; one in five answers a challenge.
    table: "code_submissions",
    sql: `INSERT INTO code_submissions (user_id, tutorial_id, challenge_id, language, code, passed, runtime_ms, submitted_at)
          SELECT s.user_id, CASE WHEN s.on_tutorial THEN t.id END, CASE WHEN NOT s.on_tutorial THEN c.id END, s.language,
                 format(E'function solve(input) {\\n  return input * %s;\\n}', s.k), s.passed, s.runtime, s.at
            FROM (SELECT g.id AS user_id, k, g.n * 13 + k / 3 AS slot, k % 5 <> 4 AS on_tutorial,
                         (ARRAY['javascript', 'typescript', 'python', 'sql', 'solidity'])[1 + (g.n + k) % 5] AS language,
                         random() < 0.6 AS passed, (5 + random() * 500)::int AS runtime, ${RECENT_TWO_YEARS} AS at
                    FROM _gen_users g CROSS JOIN LATERAL generate_series(0, g.activity * 5 - 1) AS k
                  OFFSET 0) s
            JOIN _gen_tutorials t ON t.i = s.slot % $1::int
            JOIN _gen_challenges c ON c.i = s.slot % $2::int
           ORDER BY s.at`,
    params: (c) => [c.tutorials, c.challenges],
  },
  {
    table: "practice_sessions",
    sql: `INSERT INTO practice_sessions (user_id, content_type, content_id, score_percent, started_at, ended_at)
          SELECT s.user_id, s.kind, ${CONTENT_ID}, s.score, s.started, s.started + interval '1 minute' * (5 + s.score / 4)
            FROM (SELECT g.id AS user_id, g.n * 3 + k AS slot, ${CONTENT_KIND} AS kind, (random() * 100)::int AS score,
                         ${RECENT_TWO_YEARS} AS started
                    FROM _gen_users g CROSS JOIN LATERAL generate_series(1, g.activity * 2) AS k
                  OFFSET 0) s
            ${CONTENT_JOINS}
           ORDER BY s.started`,
    params: (c) => [c.modules, c.tutorials, c.challenges],
  },
  {
    table: "user_achievements",
    sql: `INSERT INTO user_achievements (user_id, achievement_type, title, xp, earned_at)
          SELECT s.user_id, s.kind, initcap(replace(s.kind, '_', ' ')), s.xp, s.at
            FROM (SELECT g.id AS user_id,
                         (ARRAY['first_step', 'module_completed', 'tutorial_completed', 'quiz_passed', 'challenge_solved',
                                'streak_7', 'streak_30', 'certified'])[1 + k % 8] AS kind,
                         (ARRAY[10, 100, 50, 25, 150, 70, 300, 500])[1 + k % 8] AS xp, ${RECENT_TWO_YEARS} AS at
                    FROM _gen_users g CROSS JOIN LATERAL generate_series(0, g.activity - 1) AS k
                  OFFSET 0) s
           ORDER BY s.at`,
    params: () => [],
  },
  {
    // One attempt per five activity; about half pass and get a certificate.
    table: "user_certifications",
    sql: `INSERT INTO user_certifications
            (user_id, certification_id, score_percent, passed, attempted_at, issued_at, certificate_code)
          SELECT s.user_id, c.id, s.score, s.score >= 70, s.at, CASE WHEN s.score >= 70 THEN s.at END,
                 CASE WHEN s.score >= 70 THEN upper(left(md5(s.user_id::text || ':' || s.k), 16)) END
            FROM (SELECT g.id AS user_id, g.n, k, (40 + random() * 60)::int AS score, ${RECENT_TWO_YEARS} AS at
                    FROM _gen_users g CROSS JOIN LATERAL generate_series(1, g.activity / 5) AS k
                  OFFSET 0) s
            JOIN _gen_certifications c ON c.i = (s.n + s.k) % $1::int
           ORDER BY s.at`,
    params: (c) => [c.certifications],
  },
  {
    table: "skill_assessments",
    sql: `INSERT INTO skill_assessments (user_id, assessment_type, skill, score_percent, skill_level, assessed_at)
          SELECT s.user_id, s.kind, s.skill, s.score,
                 CASE WHEN s.score >= 80 THEN 'advanced' WHEN s.score >= 50 THEN 'intermediate' ELSE 'beginner' END, s.at
            FROM (SELECT g.id AS user_id, (ARRAY['placement', 'skill_check', 'skill_check', 'final'])[1 + k % 4] AS kind,
                         (ARRAY['javascript', 'sql', 'solidity', 'security', 'devops'])[1 + (g.n + k) % 5] AS skill,
                         (random() * 100)::int AS score, ${RECENT_TWO_YEARS} AS at
                    FROM _gen_users g CROSS JOIN LATERAL generate_series(0, least(12, g.activity / 4)) AS k
                  OFFSET 0) s
           ORDER BY s.at`,
    params: () => [],
  },
  {
    table: "users (total_xp)",
    sql: `UPDATE users u SET total_xp = x.xp
            FROM (SELECT a.user_id, sum(a.xp)::int AS xp
                    FROM _gen_users g JOIN user_achievements a ON a.user_id = g.id GROUP BY a.user_id) x
           WHERE u.id = x.user_id`,
    params: () => [],
  },
];
