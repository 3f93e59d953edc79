import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A redis-server child owned by one test file, on its own port, never the shared one. */
export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  /** SIGKILLs the server (a crash, as the fault tests need it). Resolves once it has exited. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: no persistence). */
  restart(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
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
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--loglevel",
      "warning",
      ...extra,
    ],
    { stdio: "ignore", cwd: tmpdir() },
  );
  children.add(child);
  child.once("exit", () => children.delete(child));
  // Bounded wait: 100 attempts of at most 50 ms + 200 ms each.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (child.exitCode !== null) break;
    if (await answersPing(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not start on port ${port}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/**
 * Starts a private redis-server on a free port of 127.0.0.1. Call `kill()` in `afterAll`, always.
 * `cluster: true` starts it in cluster mode (one node owning no slots yet: the test adds them);
 * `debug: true` allows `DEBUG` (e.g. `DEBUG SLEEP`) from local clients.
 */
export async function startOwnRedis(options: { cluster?: boolean; debug?: boolean } = {}): Promise<OwnRedis> {
  const port = await freePort();
  const debug = options.debug ? ["--enable-debug-command", "local"] : [];
  const extra = options.cluster
    ? [
        "--cluster-enabled",
        "yes",
        "--cluster-config-file",
        `keel-test-nodes-${process.pid}-${port}.conf`,
        "--cluster-port",
        String(await freePort()),
        // A lone node does not know its own address; without this it advertises "" in CLUSTER SLOTS.
        "--cluster-announce-ip",
        "127.0.0.1",
      ]
    : debug;
  let child = await launch(port, extra);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      await stop(child);
      if (options.cluster) rmSync(join(tmpdir(), extra[3] as string), { force: true });
    },
    async restart() {
      await stop(child);
      child = await launch(port, extra);
    },
  };
}
