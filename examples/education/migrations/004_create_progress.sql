-- Per-user progress through modules and tutorials. One row per (user, module) and per
-- (user, tutorial): the primary keys are the "(user, module)" and "(user, tutorial)" indexes of
-- the original's first index phase.

CREATE TABLE user_learning_progress (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  module_id uuid NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'completed')),
  progress_percent smallint NOT NULL DEFAULT 0 CHECK (progress_percent BETWEEN 0 AND 100),
  time_spent_seconds integer NOT NULL DEFAULT 0 CHECK (time_spent_seconds >= 0),
  started_at timestamptz,
  completed_at timestamptz,
  last_accessed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, module_id),
  CONSTRAINT user_learning_progress_completed CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);

CREATE TABLE user_tutorial_progress (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  tutorial_id uuid NOT NULL REFERENCES tutorials (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'completed')),
  completed_steps integer NOT NULL DEFAULT 0 CHECK (completed_steps >= 0),
  started_at timestamptz,
  completed_at timestamptz,
  last_accessed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, tutorial_id),
  CONSTRAINT user_tutorial_progress_completed CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);

-- Which steps a user completed: completing a step twice is one row (the primary key), so the
-- count in user_tutorial_progress.completed_steps can be recomputed exactly.
CREATE TABLE tutorial_step_completions (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  step_id uuid NOT NULL REFERENCES tutorial_steps (id) ON DELETE CASCADE,
  completed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, step_id)
);
