import { createServer, type Server } from "node:http";
import type { Express } from "express";
import request from "supertest";
import { REDIS_URL, uniquePrefix } from "../../../../tooling/services.js";
import { createApp } from "../../src/app/create-app.js";
import { createServices, type Services } from "../../src/app/services.js";
import type { ScryptCost } from "../../src/auth/password.js";
import type { Clock } from "../../src/clock.js";
import type { Database } from "../../src/db/database.js";
import { DEMO_USERS, seedDemoData } from "../../src/seed/demo.js";

/** Cheap enough for tests (about 1 ms a hash); the app's default is 2^15. */
export const CHEAP_SCRYPT: ScryptCost = { N: 1024, r: 8, p: 1 };
export const SECRET = "test-secret-test-secret-test-secret-0123";

/** The database, with a `close` that does nothing: the suite closes it, not each app. */
export function borrowed(db: Database): Database {
  return {
    dialect: db.dialect,
    replica: db.replica,
    query: (sql, params) => db.query(sql, params),
    transaction: (fn) => db.transaction(fn),
    close: async () => undefined,
  };
}

/** Seeds the demo data with cheap password hashes (once per database; later calls do nothing). */
export const seed = (db: Database) => seedDemoData(db, { scryptCost: CHEAP_SCRYPT });

/**
 * One app instance on a shared database (memory stores, or Redis under a unique prefix), served
 * on one 127.0.0.1 port for the whole suite: the response cache keys on Host, so supertest's
 * default of a new port per request would make every request a different resource.
 */
export interface TestApp {
  /** The listening server, for supertest: `request(t.app)`. */
  app: Server;
  express: Express;
  services: Services;
  close(): Promise<void>;
}

export async function buildApp(
  db: Database,
  options: {
    redis?: boolean | string;
    rateLimit?: number;
    authRateLimit?: number;
    responseCache?: boolean;
    clock?: Clock;
    log?: (m: string, e: unknown) => void;
  } = {},
): Promise<TestApp> {
  const prefix = typeof options.redis === "string" ? options.redis : uniquePrefix("education");
  const services = await createServices(
    {
      rateLimit: options.rateLimit ?? 100_000,
      authRateLimit: options.authRateLimit ?? 100_000,
      ...(options.redis ? { redisUrl: REDIS_URL } : {}),
    },
    borrowed(db),
    { redisPrefix: prefix },
  );
  const app = createApp({
    services,
    tokenSecret: SECRET,
    scryptCost: CHEAP_SCRYPT,
    responseCache: options.responseCache ?? true,
    ...(options.clock ? { clock: options.clock } : {}),
    log: options.log ?? (() => undefined),
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    app: server,
    express: app,
    services,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await services.close();
    },
  };
}

/** Signs up a fresh learner and returns its tokens and id. */
export async function signUp(app: Server, label = "learner") {
  const email = `${label}-${Math.random().toString(36).slice(2, 10)}@example.test`;
  const res = await request(app)
    .post("/api/auth/signup")
    .send({ email, password: "correct horse battery", displayName: label })
    .expect(201);
  return {
    email,
    id: res.body.data.user.id as string,
    accessToken: res.body.data.accessToken as string,
    refreshToken: res.body.data.refreshToken as string,
    auth: { Authorization: `Bearer ${res.body.data.accessToken}` },
  };
}

/** Signs in a demo account (seeded by {@link seed}). */
export async function signInDemo(app: Server, who: "learner" | "admin") {
  const { email, password } = DEMO_USERS[who];
  const res = await request(app).post("/api/auth/signin").send({ email, password }).expect(200);
  return {
    id: res.body.data.user.id as string,
    auth: { Authorization: `Bearer ${res.body.data.accessToken}` },
  };
}
