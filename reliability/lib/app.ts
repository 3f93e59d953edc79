// The education example as the reliability scripts run it: real app processes (`src/main.ts`, as
// `pnpm start` runs it), configured through its documented environment, and a few API calls.
import { type Child, ROOT, startChild } from "./child.js";
import { send } from "./load.js";

export const APP_DIR = `${ROOT}examples/education/`;
export const ADMIN = { email: "admin@keel.dev", password: "keel-admin-password" };
/** One secret for every instance, so a token issued by one is accepted by all. */
export const TOKEN_SECRET = "keel-reliability-token-secret-0123456789abcdef";

export interface AppEnv {
  readonly DATABASE_URL: string;
  readonly REDIS_URL?: string;
  readonly RATE_LIMIT?: string;
  readonly AUTH_RATE_LIMIT?: string;
}

/** Starts one education API process on a free port of 127.0.0.1. */
export function startApp(name: string, env: AppEnv): Promise<Child> {
  return startChild(name, "src/main.ts", {
    cwd: APP_DIR,
    env: { PORT: "0", HOST: "127.0.0.1", TOKEN_SECRET, JOBS: "off", ...env } as Record<string, string>,
    portPattern: /Listening on http:\/\/[^:]+:(\d+)/,
    // The app logs every 5xx with its error; keep those that are not its clean 503.
    notable: /^5\d\d (?!SERVICE_UNAVAILABLE)/,
    startTimeoutMs: 120_000,
  });
}

export interface Session {
  readonly email: string;
  readonly token: string;
  readonly userId: string;
}

async function post(port: number, path: string, body: unknown, token?: string) {
  const answer = await send(
    {
      route: "setup",
      port,
      path,
      method: "POST",
      body: JSON.stringify(body),
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    },
    30_000,
    true,
  );
  type Body = { data?: { accessToken?: string; user?: { id?: string } } };
  return { status: answer.status, json: JSON.parse(answer.body || "{}") as Body };
}

/** Signs up a new user (or signs in the demo admin) and returns its access token. */
export async function signUp(
  port: number,
  email: string,
  password = "reliability-password-1",
): Promise<Session> {
  const answer = await post(port, "/api/auth/signup", { email, password });
  const token = answer.json.data?.accessToken;
  if (answer.status !== 201 || token === undefined)
    throw new Error(`signup of ${email} answered ${answer.status}`);
  return { email, token, userId: answer.json.data?.user?.id ?? "" };
}

export async function signIn(port: number, email: string, password: string): Promise<Session> {
  const answer = await post(port, "/api/auth/signin", { email, password });
  const token = answer.json.data?.accessToken;
  if (answer.status !== 200 || token === undefined)
    throw new Error(`signin of ${email} answered ${answer.status}`);
  return { email, token, userId: answer.json.data?.user?.id ?? "" };
}

export const bearer = (session: Session) => ({ authorization: `Bearer ${session.token}` });
