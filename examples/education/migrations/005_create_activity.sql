-- What learners do: achievements, time spent, quiz attempts, code submissions, practice,
-- certification attempts and skill assessments.
--
-- The append-only event tables that grow to millions of rows (learning_time_tracking,
-- quiz_performance, code_submissions, practice_sessions) use a bigint identity key: 8 bytes
-- instead of 16, inserted in order, and the archiving job moves rows by it. Every user_id is
-- still the users table's uuid.

CREATE TABLE user_achievements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  achievement_type text NOT NULL,
  title text NOT NULL,
  xp integer NOT NULL DEFAULT 0 CHECK (xp >= 0),
  earned_at timestamptz NOT NULL DEFAULT now(),
  metadata jsonb NOT NULL DEFAULT '{}'
);

-- One row per study session; session_end and duration_seconds are NULL while it is open.
CREATE TABLE learning_time_tracking (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  content_type text NOT NULL CHECK (content_type IN ('module', 'tutorial', 'challenge', 'quiz')),
  content_id uuid NOT NULL,
  session_start timestamptz NOT NULL,
  session_end timestamptz,
  duration_seconds integer CHECK (duration_seconds >= 0),
  CONSTRAINT learning_time_tracking_order CHECK (session_end IS NULL OR session_end >= session_start)
);

CREATE TABLE quiz_performance (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  quiz_id uuid NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
  attempt integer NOT NULL DEFAULT 1 CHECK (attempt >= 1),
  score_percent integer NOT NULL CHECK (score_percent BETWEEN 0 AND 100),
  passed boolean NOT NULL,
  time_spent_seconds integer NOT NULL DEFAULT 0 CHECK (time_spent_seconds >= 0),
  attempted_at timestamptz NOT NULL DEFAULT now()
);

-- A submission answers a tutorial step's exercise or a challenge, never both.
CREATE TABLE code_submissions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tutorial_id uuid REFERENCES tutorials (id) ON DELETE CASCADE,
  challenge_id uuid REFERENCES challenges (id) ON DELETE CASCADE,
  language text NOT NULL,
  code text NOT NULL,
  passed boolean NOT NULL,
  runtime_ms integer CHECK (runtime_ms >= 0),
  submitted_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT code_submissions_one_target CHECK (num_nonnulls(tutorial_id, challenge_id) = 1)
);

CREATE TABLE practice_sessions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  content_type text NOT NULL CHECK (content_type IN ('module', 'tutorial', 'challenge', 'quiz')),
  content_id uuid NOT NULL,
  score_percent integer CHECK (score_percent BETWEEN 0 AND 100),
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz
);

-- One row per attempt; a passed attempt gets issued_at and a certificate code.
CREATE TABLE user_certifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  certification_id uuid NOT NULL REFERENCES certifications (id) ON DELETE CASCADE,
  score_percent integer NOT NULL CHECK (score_percent BETWEEN 0 AND 100),
  passed boolean NOT NULL,
  attempted_at timestamptz NOT NULL DEFAULT now(),
  issued_at timestamptz,
  certificate_code text UNIQUE,
  CONSTRAINT user_certifications_issued CHECK ((issued_at IS NOT NULL) = passed AND (certificate_code IS NOT NULL) = passed)
);

CREATE TABLE skill_assessments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  assessment_type text NOT NULL CHECK (assessment_type IN ('placement', 'skill_check', 'final')),
  skill text NOT NULL,
  score_percent integer NOT NULL CHECK (score_percent BETWEEN 0 AND 100),
  skill_level text NOT NULL CHECK (skill_level IN ('beginner', 'intermediate', 'advanced')),
  assessed_at timestamptz NOT NULL DEFAULT now()
);
