-- The original's second index phase, by the names it gave (its summary says "18 new indexes",
-- but it names 16; these are the 16).
--
-- Four of the 16 would have been exact copies of an index that already exists: a second b-tree
-- with the same columns, in the same order, with the same predicate, which only slows writes
-- and fills the cache twice. For those, the existing index is RENAMED to the original's name
-- instead of building a copy, so every name below exists afterwards and each job is done by
-- one index. The other twelve are new; the index benchmark (pnpm --filter education
-- bench:indexes) measures each one's effect before and after this migration.
--
-- Plain CREATE INDEX (not CONCURRENTLY), because the runner applies a migration in one
-- transaction: it blocks writes to each table while its index builds. On a large live table,
-- build the index CONCURRENTLY by hand first; IF NOT EXISTS then makes this a no-op for it.

-- users -------------------------------------------------------------------------------------

-- idx_users_email (email): DUPLICATE of users_email_key, the index behind UNIQUE (email) (001).
-- Sign-in by email already used it. Renamed, not copied (the constraint takes the new name too).
ALTER INDEX users_email_key RENAME TO idx_users_email;

-- idx_users_wallet (wallet_address) WHERE wallet_address IS NOT NULL: DUPLICATE of the unique
-- partial index users_wallet_address_key (001), same column and predicate. Renamed, not copied.
ALTER INDEX users_wallet_address_key RENAME TO idx_users_wallet;

-- idx_users_active (is_active) WHERE is_active: new. Kept as the original defined it, but it
-- helps little: nearly every user is active, so the planner reads the table for "active users"
-- anyway; its one use is a count of active users from the small index alone.
CREATE INDEX IF NOT EXISTS idx_users_active ON users (is_active) WHERE is_active = true;

-- refresh_tokens ----------------------------------------------------------------------------

-- idx_refresh_tokens_user (user_id): new. Revoking every token of a user (sign out everywhere,
-- password change) and deleting a user (ON DELETE CASCADE) otherwise read the whole table.
-- Sign-in with a refresh token uses the UNIQUE (token_hash) index of 002, not this one.
CREATE INDEX IF NOT EXISTS idx_refresh_tokens_user ON refresh_tokens (user_id);

-- idx_refresh_tokens_expires (expires_at): new; the expired-token cleanup job.
CREATE INDEX IF NOT EXISTS idx_refresh_tokens_expires ON refresh_tokens (expires_at);

-- token_blacklist ---------------------------------------------------------------------------

-- idx_token_blacklist_expires (expires_at): new; the cleanup job. The per-request "is this
-- token revoked" check uses the primary key (jti).
CREATE INDEX IF NOT EXISTS idx_token_blacklist_expires ON token_blacklist (expires_at);

-- analytics ---------------------------------------------------------------------------------

-- idx_time_tracking_session (session_start DESC): new; time spent by period, and the archiving
-- job's "older than" scan. (A b-tree reads both ways, so DESC changes nothing for one column.)
CREATE INDEX IF NOT EXISTS idx_time_tracking_session ON learning_time_tracking (session_start DESC);

-- idx_quiz_perf_user_quiz (user_id, quiz_id): new; a user's attempts at one quiz, and all of a
-- user's quiz results (leading user_id).
CREATE INDEX IF NOT EXISTS idx_quiz_perf_user_quiz ON quiz_performance (user_id, quiz_id);

-- idx_code_sub_user_tutorial (user_id, tutorial_id): new; a user's submissions for a tutorial.
CREATE INDEX IF NOT EXISTS idx_code_sub_user_tutorial ON code_submissions (user_id, tutorial_id);

-- progress ----------------------------------------------------------------------------------

-- idx_user_progress_status (user_id, status): DUPLICATE of idx_learning_progress_user_status
-- from the first phase (010). Renamed, not copied.
ALTER INDEX idx_learning_progress_user_status RENAME TO idx_user_progress_status;

-- idx_achievements_earned (user_id, earned_at DESC): DUPLICATE of idx_achievements_user_earned
-- from the first phase (010). Renamed, not copied.
ALTER INDEX idx_achievements_user_earned RENAME TO idx_achievements_earned;

-- idx_practice_sessions_composite (user_id, content_type, content_id): new; a user's practice
-- on one piece of content.
CREATE INDEX IF NOT EXISTS idx_practice_sessions_composite
  ON practice_sessions (user_id, content_type, content_id);

-- certification -----------------------------------------------------------------------------

-- idx_user_certs_passed (user_id, passed) WHERE passed: new; a user's certificates. (Under the
-- predicate, passed is always true: the second column adds nothing but costs little; kept as
-- the original defined it.)
CREATE INDEX IF NOT EXISTS idx_user_certs_passed ON user_certifications (user_id, passed) WHERE passed = true;

-- idx_user_certs_issued (issued_at DESC) WHERE issued_at IS NOT NULL: new; recently issued
-- certificates, newest first.
CREATE INDEX IF NOT EXISTS idx_user_certs_issued ON user_certifications (issued_at DESC)
  WHERE issued_at IS NOT NULL;

-- learning paths ----------------------------------------------------------------------------

-- idx_learning_paths_skill (skill_level): new. learning_paths holds tens of rows: the planner
-- reads the table rather than this index until it holds thousands. Kept for the day it does.
CREATE INDEX IF NOT EXISTS idx_learning_paths_skill ON learning_paths (skill_level);

-- idx_skill_assessments_user_type (user_id, assessment_type): new; a user's assessments of
-- one type.
CREATE INDEX IF NOT EXISTS idx_skill_assessments_user_type ON skill_assessments (user_id, assessment_type);
