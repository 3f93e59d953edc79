// `pnpm start`: the education API on embedded defaults (PGlite, in-memory stores), or on
// PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set.
import { startServer } from "./app/start-server.js";
import { appConfigFromEnv } from "./config.js";
import { DEMO_USERS } from "./seed/demo.js";

const config = appConfigFromEnv();
const backend = config.database.databaseUrl === undefined ? "embedded PGlite" : "PostgreSQL (DATABASE_URL)";
const stores = config.redisUrl === undefined ? "in-memory cache and rate limiter" : "Redis (REDIS_URL)";
console.log(`Starting the education API on ${backend}, with ${stores}...`);

let running: Awaited<ReturnType<typeof startServer>>;
try {
  running = await startServer(config);
} catch (error) {
  console.error(`\nCould not start: ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof Error && error.cause instanceof Error)
    console.error(`  cause: ${error.cause.message}`);
  process.exit(1);
}

const { url, startup } = running;
const { learner } = DEMO_USERS;
if (startup.seeded)
  console.log(`First start: applied ${startup.migrationsApplied} migrations and seeded the demo data.`);
if (config.tokenSecretGenerated) {
  console.log("TOKEN_SECRET is not set: tokens are signed with a random key and die with this process.");
}
console.log(`
Listening on ${url}  (Ctrl+C to stop)

Try:
  curl ${url}/api/education/modules
  curl ${url}/api/education/tutorials/build-a-rest-api
  curl -X POST ${url}/api/auth/signin -H 'Content-Type: application/json' \\
       -d '{"email":"${learner.email}","password":"${learner.password}"}'
  curl ${url}/api/education/progress -H "Authorization: Bearer <accessToken from sign-in>"
  curl ${url}/metrics
`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) {
      console.log("Forced exit.");
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: closing the server, cache, rate limiter, monitor, Redis and database...`);
    const force = setTimeout(() => {
      console.error("Shutdown took over 10 s; exiting anyway.");
      process.exit(1);
    }, 10_000);
    force.unref();
    running.close().then(
      () => {
        console.log("Stopped cleanly.");
        process.exit(0);
      },
      (error: unknown) => {
        console.error("Error while stopping:", error);
        process.exit(1);
      },
    );
  });
}
