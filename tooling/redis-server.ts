import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A private redis-server child on a free port of 127.0.0.1, owned by one test file or script: the
 * only kind of Redis a test may kill, pause or restart (never the shared one on 6379).
 */
export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  /** The running server's process id (changes on `restart()`); undefined while it is down. */
  readonly pid: number | undefined;
  /** SIGKILLs the server (a crash, as fault tests need it). Resolves once it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty (no persistence). Kills it first if it still runs. */
  restart(): Promise<void>;
}

/** Options of {@link startOwnRedis}. */
export interface OwnRedisOptions {
  /** Cluster mode: one node owning no slots yet (the test adds them). */
  readonly cluster?: boolean;
  /** Allows `DEBUG` (e.g. `DEBUG SLEEP`) from local clients. */
  readonly debug?: boolean;
  /** A port to use instead of a free one. */
  readonly port?: number;
}

/** Whether a `redis-server` binary is on the PATH, so {@link startOwnRedis} can start one. */
export function redisServerInstalled(): boolean {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Resolves to a TCP port of 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.setTimeout(200, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
  });
}

const children = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of children) child.kill("SIGKILL");
});

async function launch(port: number, extra: readonly string[]): Promise<ChildProcess> {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = spawn("redis-server", [...args, "--loglevel", "warning", ...extra], {
    stdio: "ignore",
    cwd: tmpdir(),
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  // Bounded wait: 100 attempts of at most 200 ms + 50 ms each.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) break;
    if (await answersPing(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not start on port ${port} (is redis-server on PATH?)`);
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/**
 * Starts a private, empty, non-persistent redis-server on a free port of 127.0.0.1. Call `kill()`
 * when done (in `afterAll`), always; a process exit kills any left running.
 */
export async function startOwnRedis(options: OwnRedisOptions = {}): Promise<OwnRedis> {
  const port = options.port ?? (await freePort());
  const clusterFile = `keel-test-nodes-${process.pid}-${port}.conf`;
  const extra = options.cluster
    ? [
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        clusterFile,
        "--cluster-port",
        String(await freePort()),
        // A lone node does not know its own address; without this it advertises "" in CLUSTER SLOTS.
        "--cluster-announce-ip",
        "127.0.0.1",
      ]
    : [];
  if (options.debug) extra.push("--enable-debug-command", "local");
  let child: ChildProcess | undefined = await launch(port, extra);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    async kill() {
      const running = child;
      child = undefined;
      await stop(running);
      if (options.cluster) rmSync(join(tmpdir(), clusterFile), { force: true });
    },
    async restart() {
      const running = child;
      child = undefined;
      await stop(running);
      child = await launch(port, extra); // a cluster node keeps its nodes file, so its slots too
    },
  };
}
