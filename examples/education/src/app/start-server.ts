import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ScryptCost } from "../auth/password.js";
import type { AppConfig } from "../config.js";
import type { Database } from "../db/database.js";
import { migrate } from "../db/migrate.js";
import { openDatabase } from "../db/open-database.js";
import { EducationError } from "../errors.js";
import { scheduleJobs } from "../jobs/schedule.js";
import { seedDemoData } from "../seed/demo.js";
import { createApp } from "./create-app.js";
import { createServices, type Services } from "./services.js";

/** A running education API. */
export interface RunningServer {
  readonly server: Server;
  readonly services: Services;
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  /** What the first start did: migrations applied, and whether the demo data was seeded. */
  readonly startup: { migrationsApplied: number; seeded: boolean };
  /** Stops accepting connections, ends idle ones, then closes every service. Idempotent. */
  close(): Promise<void>;
}

/** What {@link startServer} takes besides the config (tests and the load script use these). */
export interface StartOptions {
  /** An open database to use instead of opening `config.database`; closed by `close()`. */
  db?: Database;
  /** Prefix of the Redis keys. @default "education:" */
  redisPrefix?: string;
  /** scrypt cost of the demo and new passwords. @default DEFAULT_SCRYPT_COST */
  scryptCost?: ScryptCost;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") {
        reject(
          new EducationError(
            "ERR_KEEL_EDUCATION_CONFIG",
            `port ${port} on ${host} is already in use: stop what runs there, or start with PORT=<another port> (PORT=0 picks a free one)`,
            { cause: error },
          ),
        );
      } else reject(error);
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve();
    });
  });
}

/**
 * Opens the database, migrates it, seeds the demo data on a first start, builds the services and
 * the app, and listens. Everything opened is closed again if a later step fails.
 *
 * @example
 * ```ts
 * const running = await startServer(appConfigFromEnv());
 * console.log(running.url);
 * await running.close();
 * ```
 */
export async function startServer(config: AppConfig, options: StartOptions = {}): Promise<RunningServer> {
  const db = options.db ?? (await openDatabase(config.database));
  let services: Services | undefined;
  try {
    const { applied } = await migrate(db);
    const { seeded } = await seedDemoData(db, options.scryptCost ? { scryptCost: options.scryptCost } : {});
    services = await createServices(
      config,
      db,
      options.redisPrefix ? { redisPrefix: options.redisPrefix } : {},
    );
    const app = createApp({
      services,
      tokenSecret: config.tokenSecret,
      accessTokenTtl: config.accessTokenTtl,
      refreshTokenTtl: config.refreshTokenTtl,
      responseCache: config.responseCache,
      ...(options.scryptCost ? { scryptCost: options.scryptCost } : {}),
    });
    const server = createServer(app);
    await listen(server, config.port, config.host);
    const stopJobs = config.jobs ? scheduleJobs(db) : () => undefined;
    const { port } = server.address() as AddressInfo;
    const host = config.host.includes(":") ? `[${config.host}]` : config.host;
    let closing: Promise<void> | undefined;
    const running = services;
    return {
      server,
      services: running,
      url: `http://${host}:${port}`,
      startup: { migrationsApplied: applied.length, seeded },
      close() {
        closing ??= (async () => {
          stopJobs();
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          });
          await running.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await (services?.close() ?? db.close());
    throw error;
  }
}
