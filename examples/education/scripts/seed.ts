// pnpm --filter education seed [--users N] [--reset]
//
// Migrates the database the environment names (DATABASE_URL, else PGlite in PGLITE_DATA_DIR,
// default examples/education/.data/pglite), seeds the demo catalog and users once, then
// generates N learners with everything they do. --reset empties every table first.
import { parseArgs } from "node:util";
import { migrate } from "../src/db/migrate.js";
import { DEFAULT_PGLITE_DATA_DIR, databaseConfigFromEnv, openDatabase } from "../src/db/open-database.js";
import { DEMO_USERS, seedDemoData } from "../src/seed/demo.js";
import { generateData } from "../src/seed/generate.js";

// PGlite runs single-threaded in WebAssembly, about 3x slower here, and holds the database in
// memory: a smaller default keeps a first run under a minute.
const DEFAULT_USERS = { postgres: 20_000, pglite: 5_000 };

const { values } = parseArgs({
  options: {
    users: { type: "string" },
    reset: { type: "boolean", default: false },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log("usage: pnpm --filter education seed [--users N] [--reset]");
  process.exit(0);
}

const config = databaseConfigFromEnv();
const db = await openDatabase(config);
const users = values.users === undefined ? DEFAULT_USERS[db.dialect] : Number(values.users);
if (!Number.isInteger(users) || users < 0) {
  console.error(`--users must be a whole number (0 for the demo data only), got "${values.users}"`);
  process.exit(2);
}
const where =
  db.dialect === "postgres" ? "PostgreSQL (DATABASE_URL)" : (config.pgliteDataDir ?? DEFAULT_PGLITE_DATA_DIR);
console.log(`database: ${where}`);

try {
  const { applied } = await migrate(db);
  console.log(applied.length > 0 ? `migrated: ${applied.join(", ")}` : "migrations: up to date");
  if (values.reset) {
    const { rows } = await db.query<{ tables: string | null }>(
      `SELECT string_agg(format('%I', tablename), ', ') AS tables
         FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'`,
    );
    if (rows[0]?.tables) await db.query(`TRUNCATE ${rows[0].tables} CASCADE`);
    console.log("reset: every table emptied");
  }
  const { seeded } = await seedDemoData(db);
  console.log(
    seeded
      ? `demo data seeded; sign in as ${DEMO_USERS.learner.email} / ${DEMO_USERS.learner.password}`
      : "demo data: already there",
  );
  if (users > 0) {
    console.log(`generating ${users.toLocaleString("en")} users (${db.dialect}) ...`);
    const started = performance.now();
    const result = await generateData(db, {
      users,
      onStep: (s) =>
        console.log(`  ${s.table.padEnd(28)} ${s.rows.toLocaleString("en").padStart(11)} rows ${s.ms} ms`),
    });
    const rows = result.steps.reduce((sum, s) => sum + (s.table.startsWith("users (") ? 0 : s.rows), 0);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`generated ${rows.toLocaleString("en")} rows in ${seconds} s (tag ${result.tag});`);
    console.log(`generated email users sign in with password "generated-password"`);
  }
} finally {
  await db.close();
}
