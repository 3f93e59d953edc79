// The query families the original says migration 019 sped up, as the API runs them. Each has
// the SQL to sample its parameters from the generated data (the same sample before and after).
// Where the example's code runs a query, the benchmark imports that exact SQL.
import {
  DELETE_EXPIRED_BLACKLIST_ENTRIES,
  DELETE_EXPIRED_REFRESH_TOKENS,
} from "../../src/jobs/cleanup-expired-tokens.js";
import { TIME_PER_DAY_SQL, USER_TIME_SQL } from "../../src/queries/analytics.js";

/** The original's claim per family; "—" where it claimed nothing for these indexes. */
export const CLAIMS = {
  auth: "5-10x",
  progress: "6-8x",
  analytics: "4-6x",
  achievements: "7-9x",
  certification: "—",
  "learning path": "—",
  maintenance: "—",
} as const;

export type Family = keyof typeof CLAIMS;

export interface BenchQuery {
  family: Family;
  name: string;
  /** The 019 index the query is there to exercise. */
  index: string;
  sql: string;
  /** Returns one row per run, columns p1, p2, ... in placeholder order. */
  params: string;
  /** A write: measured inside a transaction that is rolled back, so every run sees the same data. */
  rollback?: boolean;
  /** A later migration of this example that adds the index this query really needs. */
  fixedBy?: { migration: number; index: string };
}

// BERNOULLI samples rows, so busy users come up as often as they send requests; REPEATABLE
// makes the sample the same on every run of the benchmark. The second branch only tops up a
// sample too small on tiny data.
const sample = (table: string, columns: string, where = "true") =>
  `(SELECT ${columns} FROM ${table} TABLESAMPLE BERNOULLI (5) REPEATABLE (19) WHERE ${where} LIMIT $1)
   UNION ALL (SELECT ${columns} FROM ${table} WHERE ${where} LIMIT $1) LIMIT $1`;

export const BENCH_QUERIES: BenchQuery[] = [
  {
    family: "auth",
    name: "sign-in by email",
    index: "idx_users_email",
    sql: "SELECT id, password_hash, role, is_active FROM users WHERE email = $1",
    params: sample("users", "email AS p1", "email IS NOT NULL"),
  },
  {
    family: "auth",
    name: "sign-in by wallet",
    index: "idx_users_wallet",
    sql: "SELECT id, role, is_active FROM users WHERE wallet_address = $1",
    params: sample("users", "wallet_address AS p1", "wallet_address IS NOT NULL"),
  },
  {
    family: "auth",
    name: "count active users",
    index: "idx_users_active",
    sql: "SELECT count(*) FROM users WHERE is_active = true",
    params: "SELECT 1 AS unused FROM generate_series(1, $1)",
  },
  {
    family: "auth",
    name: "a user's live refresh tokens",
    index: "idx_refresh_tokens_user",
    sql: "SELECT id, expires_at FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL",
    params: sample("refresh_tokens", "user_id AS p1"),
  },
  {
    family: "progress",
    name: "a user's modules by status",
    index: "idx_user_progress_status",
    sql: `SELECT module_id, progress_percent, last_accessed_at FROM user_learning_progress
           WHERE user_id = $1 AND status = $2`,
    params: sample("user_learning_progress", "user_id AS p1, status AS p2"),
  },
  {
    family: "progress",
    name: "a user's practice on one item",
    index: "idx_practice_sessions_composite",
    sql: `SELECT score_percent, started_at, ended_at FROM practice_sessions
           WHERE user_id = $1 AND content_type = $2 AND content_id = $3 ORDER BY started_at DESC`,
    params: sample("practice_sessions", "user_id AS p1, content_type AS p2, content_id AS p3"),
  },
  {
    family: "analytics",
    name: "time per day, one week, all users",
    index: "idx_time_tracking_session",
    sql: TIME_PER_DAY_SQL,
    // Seven different weeks, from last week back to a year and a half ago.
    params: `SELECT now() - w * interval '1 week' - interval '1 week' AS p1, now() - w * interval '1 week' AS p2
               FROM unnest(ARRAY[0, 2, 6, 13, 26, 52, 78]) AS w LIMIT $1`,
  },
  {
    family: "analytics",
    name: "one user's time, last 30 days",
    index: "(none: no user_id index)",
    sql: USER_TIME_SQL,
    fixedBy: { migration: 21, index: "idx_time_tracking_user_session" },
    params: sample("learning_time_tracking", "user_id AS p1, now() - interval '30 days' AS p2, now() AS p3"),
  },
  {
    family: "analytics",
    name: "a user's attempts at one quiz",
    index: "idx_quiz_perf_user_quiz",
    sql: `SELECT attempt, score_percent, passed, attempted_at FROM quiz_performance
           WHERE user_id = $1 AND quiz_id = $2 ORDER BY attempted_at`,
    params: sample("quiz_performance", "user_id AS p1, quiz_id AS p2"),
  },
  {
    family: "analytics",
    name: "a user's submissions for a tutorial",
    index: "idx_code_sub_user_tutorial",
    sql: `SELECT id, passed, runtime_ms, submitted_at FROM code_submissions
           WHERE user_id = $1 AND tutorial_id = $2 ORDER BY submitted_at DESC LIMIT 20`,
    params: sample("code_submissions", "user_id AS p1, tutorial_id AS p2", "tutorial_id IS NOT NULL"),
  },
  {
    family: "achievements",
    name: "a user's latest achievements",
    index: "idx_achievements_earned",
    sql: `SELECT achievement_type, title, xp, earned_at FROM user_achievements
           WHERE user_id = $1 ORDER BY earned_at DESC LIMIT 20`,
    params: sample("user_achievements", "user_id AS p1"),
  },
  {
    family: "certification",
    name: "a user's passed certifications",
    index: "idx_user_certs_passed",
    sql: `SELECT certification_id, issued_at, certificate_code FROM user_certifications
           WHERE user_id = $1 AND passed = true`,
    params: sample("user_certifications", "user_id AS p1"),
  },
  {
    family: "certification",
    name: "latest issued certificates",
    index: "idx_user_certs_issued",
    sql: `SELECT user_id, certification_id, issued_at FROM user_certifications
           WHERE issued_at IS NOT NULL ORDER BY issued_at DESC LIMIT 20`,
    params: "SELECT 1 AS unused FROM generate_series(1, $1)",
  },
  {
    family: "learning path",
    name: "learning paths for a level",
    index: "idx_learning_paths_skill",
    sql: "SELECT id, slug, title FROM learning_paths WHERE skill_level = $1",
    params: `SELECT (ARRAY['beginner', 'intermediate', 'advanced'])[1 + i % 3] AS p1 FROM generate_series(1, $1) AS i`,
  },
  {
    family: "learning path",
    name: "a user's assessments of one type",
    index: "idx_skill_assessments_user_type",
    sql: `SELECT skill, score_percent, skill_level, assessed_at FROM skill_assessments
           WHERE user_id = $1 AND assessment_type = $2`,
    params: sample("skill_assessments", "user_id AS p1, assessment_type AS p2"),
  },

  {
    family: "maintenance",
    name: "cleanup: a batch of expired refresh tokens",
    index: "idx_refresh_tokens_expires",
    sql: DELETE_EXPIRED_REFRESH_TOKENS,
    params: "SELECT now() AS p1, 1000 AS p2 FROM generate_series(1, $1)",
    rollback: true,
  },
  {
    family: "maintenance",
    name: "cleanup: a batch of expired blacklist entries",
    index: "idx_token_blacklist_expires",
    sql: DELETE_EXPIRED_BLACKLIST_ENTRIES,
    params: "SELECT now() AS p1, 1000 AS p2 FROM generate_series(1, $1)",
    rollback: true,
  },
];
