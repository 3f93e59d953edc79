import type { GenerateStep } from "./generate-step.js";

const category = (n: string) =>
  `(ARRAY['programming', 'data', 'blockchain', 'security', 'devops', 'design'])[1 + ${n} % 6]`;
const difficulty = (n: string) => `(ARRAY['beginner', 'intermediate', 'advanced'])[1 + ${n} % 3]`;

/** The generated catalog: modules, content, quizzes, tutorials, steps, challenges, certifications, paths. */
export const CATALOG_STEPS: GenerateStep[] = [
  {
    table: "modules",
    sql: `WITH inserted AS (
            INSERT INTO modules (slug, title, description, category, difficulty, sort_order, estimated_minutes, xp_reward)
            SELECT format('gen-%s-module-%s', $1::text, i), format('Module %s', i),
                   'Generated for index benchmarks and load tests.', ${category("i")}, ${difficulty("i")}, i, 15 + i % 60,
                   50 + i % 5 * 25
              FROM generate_series(0, $2::int - 1) AS i
            RETURNING id, sort_order
          )
          INSERT INTO _gen_modules (i, id) SELECT sort_order, id FROM inserted`,
    params: (c) => [c.tag, c.modules],
  },
  {
    table: "module_content",
    sql: `INSERT INTO module_content (module_id, position, content_type, title, body)
          SELECT m.id, p, (ARRAY['text', 'video', 'code'])[1 + p % 3], format('Part %s', p),
                 repeat('Generated lesson text. ', 40)
            FROM _gen_modules m CROSS JOIN generate_series(1, 4) AS p`,
    params: () => [],
  },
  {
    table: "quizzes",
    sql: `WITH inserted AS (
            INSERT INTO quizzes (module_id, title, questions, answer_key)
            SELECT m.id, format('Quiz %s', m.i),
                   '[{"prompt": "2 + 2?", "options": ["3", "4"]}, {"prompt": "Index first?", "options": ["yes", "no"]}]',
                   '[1, 0]'
              FROM _gen_modules m
            RETURNING id, module_id
          )
          INSERT INTO _gen_quizzes (i, id) SELECT m.i, inserted.id FROM inserted JOIN _gen_modules m ON m.id = inserted.module_id`,
    params: () => [],
  },
  {
    table: "tutorials",
    sql: `WITH inserted AS (
            INSERT INTO tutorials (slug, module_id, title, description, category, difficulty, sort_order)
            SELECT format('gen-%s-tutorial-%s', $1::text, gs.n), m.id, format('Tutorial %s', gs.n), 'Generated.',
                   ${category("gs.n")}, ${difficulty("gs.n")}, gs.n
              FROM generate_series(0, $2::int - 1) AS gs(n) JOIN _gen_modules m ON m.i = gs.n % $3::int
            RETURNING id, sort_order
          )
          INSERT INTO _gen_tutorials (i, id) SELECT sort_order, id FROM inserted`,
    params: (c) => [c.tag, c.tutorials, c.modules],
  },
  {
    table: "tutorial_steps",
    sql: `INSERT INTO tutorial_steps (tutorial_id, position, title, body, starter_code)
          SELECT t.id, p, format('Step %s', p), repeat('Do this, then that. ', 15), 'function solve(input) {}'
            FROM _gen_tutorials t CROSS JOIN generate_series(1, $1::int) AS p`,
    params: (c) => [c.stepsPerTutorial],
  },
  {
    table: "challenges",
    sql: `WITH inserted AS (
            INSERT INTO challenges (slug, title, description, difficulty, language, starter_code, solution, hidden_tests)
            SELECT format('gen-%s-challenge-%s', $1::text, i), format('Challenge %s', i), 'Generated.', ${difficulty("i")},
                   (ARRAY['javascript', 'typescript', 'python', 'sql', 'solidity'])[1 + i % 5],
                   'function solve(input) {}', format('function solve(input) { return input * %s; }', i),
                   '[{"input": "2", "expected": "4"}]'
              FROM generate_series(0, $2::int - 1) AS i
            RETURNING id, slug
          )
          INSERT INTO _gen_challenges (i, id) SELECT split_part(slug, '-', 4)::int, id FROM inserted`,
    params: (c) => [c.tag, c.challenges],
  },
  {
    table: "certifications",
    sql: `WITH inserted AS (
            INSERT INTO certifications (slug, title, description, skill_level)
            SELECT format('gen-%s-certification-%s', $1::text, i), format('Certification %s', i), 'Generated.', ${difficulty("i")}
              FROM generate_series(0, $2::int - 1) AS i
            RETURNING id, slug
          )
          INSERT INTO _gen_certifications (i, id) SELECT split_part(slug, '-', 4)::int, id FROM inserted`,
    params: (c) => [c.tag, c.certifications],
  },
  {
    table: "certification_requirements",
    sql: `INSERT INTO certification_requirements (certification_id, module_id)
          SELECT c.id, m.id FROM _gen_certifications c CROSS JOIN generate_series(0, 4) AS j
            JOIN _gen_modules m ON m.i = (c.i * 5 + j) % $1::int`,
    params: (c) => [c.modules],
  },
  {
    table: "learning_path_modules",
    sql: `WITH inserted AS (
            INSERT INTO learning_paths (slug, title, description, skill_level)
            SELECT format('gen-%s-path-%s', $1::text, i), format('Path %s', i), 'Generated.', ${difficulty("i")}
              FROM generate_series(0, $2::int - 1) AS i
            RETURNING id, slug
          )
          INSERT INTO learning_path_modules (learning_path_id, module_id, position)
          SELECT inserted.id, m.id, j + 1
            FROM inserted CROSS JOIN generate_series(0, 5) AS j
            JOIN _gen_modules m ON m.i = (split_part(inserted.slug, '-', 4)::int * 6 + j) % $3::int`,
    params: (c) => [c.tag, c.learningPaths, c.modules],
  },
];
