import { randomBytes } from "node:crypto";
import { type DatabaseConfig, databaseConfigFromEnv } from "./db/open-database.js";
import { EducationError } from "./errors.js";

/** Everything the app reads from its environment; {@link appConfigFromEnv} builds it. */
export interface AppConfig {
  /** TCP port to listen on (`PORT`). 0 picks a free one. @default 3000 */
  port: number;
  /** Address to listen on (`HOST`). @default "127.0.0.1" */
  host: string;
  /** Where the data lives (`DATABASE_URL`, `DATABASE_READ_URL`, `PGLITE_DATA_DIR`). */
  database: DatabaseConfig;
  /** Redis for the cache (L2 + pub/sub) and the rate limiter (`REDIS_URL`); memory stores when unset. */
  redisUrl?: string;
  /**
   * The HMAC key of access tokens and wallet challenges (`TOKEN_SECRET`, at least 32 characters).
   * When unset a random one is made per process: tokens then die with the process.
   */
  tokenSecret: string;
  /** Whether {@link tokenSecret} was generated rather than configured. */
  tokenSecretGenerated: boolean;
  /** Lifetime of an access token, in seconds (`ACCESS_TOKEN_TTL`). @default 900 (15 min) */
  accessTokenTtl: number;
  /** Lifetime of a refresh token, in seconds (`REFRESH_TOKEN_TTL`). @default 2592000 (30 days) */
  refreshTokenTtl: number;
  /** Requests per minute per user (per IP when anonymous) on /api/education (`RATE_LIMIT`). @default 100 */
  rateLimit: number;
  /**
   * Failed sign-in, sign-up, refresh and wallet attempts per minute per client address on
   * /api/auth (`AUTH_RATE_LIMIT`). @default 20
   */
  authRateLimit: number;
  /**
   * Cache the education routes' responses (`CACHE=off` serves every request from the database,
   * for comparison and debugging; writes still invalidate). @default true
   */
  responseCache: boolean;
  /** Run the archive and token-cleanup jobs on a timer (`JOBS=off` turns them off). @default true */
  jobs: boolean;
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new EducationError(
      "ERR_KEEL_EDUCATION_CONFIG",
      `${name} must be a whole number of at least ${min}, got "${raw}"`,
    );
  }
  return value;
}

/**
 * Reads the {@link AppConfig} from the environment; every variable is optional, and with none
 * set the app runs on embedded PGlite and in-memory stores.
 *
 * @throws EducationError `ERR_KEEL_EDUCATION_CONFIG` naming the variable that is wrong.
 * @example
 * ```ts
 * const config = appConfigFromEnv({ PORT: "8080", REDIS_URL: "redis://127.0.0.1:6379" });
 * ```
 */
export function appConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = positiveInteger(env, "PORT", 3000, 0);
  if (port > 65_535) {
    throw new EducationError("ERR_KEEL_EDUCATION_CONFIG", `PORT must be at most 65535, got ${port}`);
  }
  const secret = env.TOKEN_SECRET;
  if (secret !== undefined && secret !== "" && secret.length < 32) {
    throw new EducationError(
      "ERR_KEEL_EDUCATION_CONFIG",
      "TOKEN_SECRET must be at least 32 characters (try: openssl rand -hex 32)",
    );
  }
  if (env.REDIS_URL && !/^rediss?:\/\//.test(env.REDIS_URL)) {
    throw new EducationError(
      "ERR_KEEL_EDUCATION_CONFIG",
      `REDIS_URL must be a redis:// URL such as redis://127.0.0.1:6379, got "${env.REDIS_URL}"`,
    );
  }
  return {
    port,
    host: env.HOST || "127.0.0.1",
    database: databaseConfigFromEnv(env),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    tokenSecret: secret || randomBytes(32).toString("hex"),
    tokenSecretGenerated: !secret,
    accessTokenTtl: positiveInteger(env, "ACCESS_TOKEN_TTL", 900),
    refreshTokenTtl: positiveInteger(env, "REFRESH_TOKEN_TTL", 30 * 86_400),
    rateLimit: positiveInteger(env, "RATE_LIMIT", 100),
    authRateLimit: positiveInteger(env, "AUTH_RATE_LIMIT", 20),
    responseCache: env.CACHE !== "off",
    jobs: env.JOBS !== "off",
  };
}
