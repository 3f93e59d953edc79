import { connect } from "node:net";

/** Where the integration suites find their services; the defaults are this machine's. */
export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || defaultPort), hostname.replace(/^\[|\]$/g, ""));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
  });
}

/**
 * Whether an integration suite should run. When the service is unreachable it skips with a loud
 * message, except under `CI=true`, where an unreachable service is a failure.
 */
async function serviceGate(name: string, url: string, port: number): Promise<boolean> {
  if (await reachable(url, port)) return true;
  const message = `${name} is not reachable at ${url}`;
  if (process.env.CI === "true") throw new Error(`${message}: CI requires it (start it, or set the URL)`);
  console.warn(
    `\n!!! SKIPPING ${name} integration tests: ${message}. Start it or set the URL to run them.\n`,
  );
  return false;
}

/** Resolves true when Redis answers; see {@link serviceGate} for what happens when it does not. */
export const redisAvailable = (): Promise<boolean> => serviceGate("Redis", REDIS_URL, 6379);

/** Resolves true when PostgreSQL answers; see {@link serviceGate} for what happens when it does not. */
export const postgresAvailable = (): Promise<boolean> => serviceGate("PostgreSQL", DATABASE_URL, 5432);

/** A key prefix unique to one test file run, so parallel suites never touch each other's keys. */
export function uniquePrefix(label: string): string {
  return `keel-test:${label}:${process.pid}:${Date.now().toString(36)}:${Math.random().toString(36).slice(2, 8)}:`;
}
