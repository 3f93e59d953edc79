-- What 019 missed: learning_time_tracking, the biggest table, has no index that starts with
-- user_id. The index benchmark shows the cost: "one user's time in the last 30 days" reads the
-- last 30 days of EVERY user through idx_time_tracking_session (or the whole table before 019),
-- and deleting a user (ON DELETE CASCADE) reads the whole table to find their sessions.
--
-- (user_id, session_start DESC) serves both: a user's sessions in a range, newest first, and the
-- cascade (leading user_id).

CREATE INDEX IF NOT EXISTS idx_time_tracking_user_session ON learning_time_tracking (user_id, session_start DESC);
