-- The catalog: modules and their content, tutorials and their steps, quizzes, challenges,
-- certifications and learning paths. Small tables (hundreds of rows), read often, cached by the
-- API for an hour.

CREATE TABLE modules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  category text NOT NULL,
  difficulty text NOT NULL CHECK (difficulty IN ('beginner', 'intermediate', 'advanced')),
  sort_order integer NOT NULL DEFAULT 0,
  estimated_minutes integer NOT NULL DEFAULT 30 CHECK (estimated_minutes > 0),
  xp_reward integer NOT NULL DEFAULT 100 CHECK (xp_reward >= 0),
  is_published boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE module_content (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  module_id uuid NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
  position integer NOT NULL,
  content_type text NOT NULL CHECK (content_type IN ('text', 'video', 'code')),
  title text NOT NULL,
  body text NOT NULL
);

CREATE TABLE tutorials (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  module_id uuid REFERENCES modules (id) ON DELETE SET NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  category text NOT NULL,
  difficulty text NOT NULL CHECK (difficulty IN ('beginner', 'intermediate', 'advanced')),
  sort_order integer NOT NULL DEFAULT 0,
  estimated_minutes integer NOT NULL DEFAULT 20 CHECK (estimated_minutes > 0),
  xp_reward integer NOT NULL DEFAULT 50 CHECK (xp_reward >= 0),
  is_published boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tutorial_steps (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tutorial_id uuid NOT NULL REFERENCES tutorials (id) ON DELETE CASCADE,
  position integer NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  starter_code text
);

-- questions is public ([{ "prompt", "options": [...] }]); answer_key ([index of the right option
-- per question]) is not, and leaves the database only through the grading code. Public routes
-- read public_quizzes, which has no answer_key column.
CREATE TABLE quizzes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  module_id uuid NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
  title text NOT NULL,
  questions jsonb NOT NULL,
  answer_key jsonb NOT NULL,
  pass_percent integer NOT NULL DEFAULT 70 CHECK (pass_percent BETWEEN 0 AND 100),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE VIEW public_quizzes AS
  SELECT id, module_id, title, questions, pass_percent, created_at FROM quizzes;

-- solution and hidden_tests are never public: public routes read public_challenges.
CREATE TABLE challenges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  title text NOT NULL,
  description text NOT NULL,
  difficulty text NOT NULL CHECK (difficulty IN ('beginner', 'intermediate', 'advanced')),
  language text NOT NULL,
  starter_code text NOT NULL DEFAULT '',
  solution text NOT NULL,
  hidden_tests jsonb NOT NULL DEFAULT '[]',
  xp_reward integer NOT NULL DEFAULT 150 CHECK (xp_reward >= 0),
  is_published boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE VIEW public_challenges AS
  SELECT id, slug, title, description, difficulty, language, starter_code, xp_reward, is_published,
         created_at, updated_at
  FROM challenges;

CREATE TABLE certifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  skill_level text NOT NULL CHECK (skill_level IN ('beginner', 'intermediate', 'advanced')),
  xp_reward integer NOT NULL DEFAULT 500 CHECK (xp_reward >= 0),
  is_published boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A certification is earned by completing every module it requires.
CREATE TABLE certification_requirements (
  certification_id uuid NOT NULL REFERENCES certifications (id) ON DELETE CASCADE,
  module_id uuid NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
  PRIMARY KEY (certification_id, module_id)
);

CREATE TABLE learning_paths (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  skill_level text NOT NULL CHECK (skill_level IN ('beginner', 'intermediate', 'advanced')),
  is_published boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE learning_path_modules (
  learning_path_id uuid NOT NULL REFERENCES learning_paths (id) ON DELETE CASCADE,
  module_id uuid NOT NULL REFERENCES modules (id) ON DELETE CASCADE,
  position integer NOT NULL,
  PRIMARY KEY (learning_path_id, module_id)
);
