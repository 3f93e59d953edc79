// PostgreSQL for the reliability scripts, never disturbing the shared server: a fresh database on it
// (dropped at the end), or a private cluster made with initdb under /tmp on a free port, which the
// fault script may restart, fill or stop at will.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { freePort } from "../../tooling/redis-server.js";

export const SHARED_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Runs one SQL statement with psql (no driver needed at the root); resolves with its output. */
export function psql(url: string, sql: string): string {
  return execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-AtXqc", sql], {
    encoding: "utf8",
    timeout: 60_000,
  });
}

let sessions = 0;

/**
 * A psql session kept open running `sql` (e.g. `BEGIN; LOCK TABLE ...; SELECT pg_sleep(60)`):
 * whatever it holds is released when `release()` terminates its backend (killing psql alone would
 * leave the backend sleeping, since a server notices a lost client only when it next talks to it).
 */
export function holdSession(url: string, sql: string): { release(): void; readonly process: ChildProcess } {
  const name = `keel-holder-${process.pid}-${++sessions}`;
  const withName = new URL(url);
  withName.searchParams.set("application_name", name);
  const child = spawn("psql", [withName.toString(), "-AtXqc", sql], { stdio: "ignore" });
  process.once("exit", () => child.kill("SIGKILL"));
  return {
    process: child,
    release() {
      try {
        psql(
          url,
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '${name}'`,
        );
      } catch {
        // the server is down or full: killing psql below is all that is left
      }
      child.kill("SIGKILL");
    },
  };
}

/** Terminates every session of `holdSession` at once (one query, even when slots are scarce). */
export function releaseAll(url: string, holders: readonly { process: ChildProcess }[]): void {
  try {
    psql(
      url,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'keel-holder-${process.pid}-%'`,
    );
  } catch {
    // see holdSession
  }
  for (const holder of holders) holder.process.kill("SIGKILL");
}

/** Creates database `name` on the shared server; `drop()` removes it (and its connections). */
export function freshDatabase(name: string): { url: string; drop(): void } {
  psql(SHARED_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  psql(SHARED_URL, `CREATE DATABASE "${name}"`);
  const url = new URL(SHARED_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => {
      psql(SHARED_URL, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

function binDir(): string {
  const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const dir = `/usr/lib/postgresql/${version}/bin`;
    if (existsSync(`${dir}/initdb`)) return dir;
  }
  throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin");
}

/** Runs a PostgreSQL binary as the `postgres` user when we are root (initdb refuses root). */
function asPostgres(command: string, args: readonly string[]): void {
  const root = process.getuid?.() === 0;
  const result = root
    ? spawnSync("runuser", ["-u", "postgres", "--", command, ...args], { encoding: "utf8" })
    : spawnSync(command, args, { encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr || result.stdout}`);
}

export interface PrivateCluster {
  readonly port: number;
  readonly url: string;
  start(): void;
  /** Fast shutdown: open connections are terminated (57P01), like a planned restart. */
  stop(): void;
  restart(): void;
  /** Stops it and removes its files. */
  destroy(): void;
}

/** A throwaway cluster: initdb into a temp dir, trust auth, listening on 127.0.0.1 only. */
export async function privateCluster(options: { maxConnections?: number } = {}): Promise<PrivateCluster> {
  const bin = binDir();
  const port = await freePort();
  const dir = mkdtempSync("/tmp/keel-pg-");
  const data = `${dir}/data`;
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres:postgres", dir]);
  asPostgres(`${bin}/initdb`, ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  const serverOptions = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${dir}`,
    `-c max_connections=${options.maxConnections ?? 40}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c client_connection_check_interval=200",
  ].join(" ");
  const ctl = (action: string, extra: string[] = []) =>
    asPostgres(`${bin}/pg_ctl`, [action, "-D", data, "-w", "-t", "30", "-l", `${dir}/log`, ...extra]);
  const cluster: PrivateCluster = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => ctl("start", ["-o", serverOptions]),
    stop: () => ctl("stop", ["-m", "fast"]),
    restart: () => ctl("restart", ["-m", "fast", "-o", serverOptions]),
    destroy() {
      try {
        ctl("stop", ["-m", "immediate"]);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  cluster.start();
  process.once("exit", () => cluster.destroy());
  return cluster;
}
