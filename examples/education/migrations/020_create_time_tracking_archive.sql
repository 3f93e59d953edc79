-- The original's unfinished "data archiving strategy": sessions older than a cutoff move from
-- learning_time_tracking to this table, in small batches (src/jobs/archive-time-tracking.ts),
-- so the hot table and its indexes stay the size of the recent past.
--
-- The same columns, keyed by the id the row had, plus when it moved. Deleting a user still
-- deletes their archived sessions (ON DELETE CASCADE, served by the user_id index). A very
-- large installation would partition learning_time_tracking by month and detach old partitions
-- instead; batches need no partitioning and work the same on PGlite.

CREATE TABLE learning_time_tracking_archive (
  id bigint PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  content_type text NOT NULL,
  content_id uuid NOT NULL,
  session_start timestamptz NOT NULL,
  session_end timestamptz,
  duration_seconds integer,
  archived_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX idx_time_tracking_archive_user ON learning_time_tracking_archive (user_id, session_start);
