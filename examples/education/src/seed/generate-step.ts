/** What every generator step's SQL can bind. */
export interface GenerateContext {
  /** Users to create. */
  users: number;
  /** Lower-case tag in every generated slug and email, so runs never collide. */
  tag: string;
  /** The one scrypt hash every generated email user shares (hashing each would take hours). */
  passwordHash: string;
  /** Catalog sizes. */
  modules: number;
  tutorials: number;
  stepsPerTutorial: number;
  challenges: number;
  certifications: number;
  learningPaths: number;
}

/** One INSERT ... SELECT of the generator; rowCount is what it reports. */
export interface GenerateStep {
  /** The table the step fills, as printed in the progress lines. */
  table: string;
  sql: string;
  params(context: GenerateContext): unknown[];
}

/**
 * Timestamps over the last two years from a platform that grew steadily: the density rises
 * linearly toward now, so the last week holds about 1.9% of them, the last 30 days 8%, and a
 * quarter are more than a year old.
 */
export const RECENT_TWO_YEARS = "now() - interval '730 days' * (1 - sqrt(random()))";

/** Scratch tables mapping a small ordinal to each generated id, dropped when the run ends. */
export const SCRATCH_TABLES: Record<string, string> = {
  _gen_users: "(n integer PRIMARY KEY, id uuid NOT NULL, activity integer NOT NULL)",
  _gen_modules: "(i integer PRIMARY KEY, id uuid NOT NULL)",
  _gen_tutorials: "(i integer PRIMARY KEY, id uuid NOT NULL)",
  _gen_quizzes: "(i integer PRIMARY KEY, id uuid NOT NULL)",
  _gen_challenges: "(i integer PRIMARY KEY, id uuid NOT NULL)",
  _gen_certifications: "(i integer PRIMARY KEY, id uuid NOT NULL)",
};
