/**
 * Starting a TypeScript child process with an IPC channel, and waiting for its messages. Shared by
 * the HTTP servers and the micro suites, which both run in processes of their own.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);

/**
 * Node flags that let a child load the benchmark's TypeScript files. The Keel packages resolve to
 * their builds unless `--conditions=@keel/source` is added (`--source`, see `childNodeFlags`).
 */
export function typescriptFlags(): string[] {
  return ["--import", pathToFileURL(require.resolve("tsx")).href];
}

/** Options for {@link ChildChannel.start}. */
export interface StartOptions {
  /** Extra node flags, e.g. `--expose-gc`. */
  nodeFlags?: readonly string[];
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** A child process speaking typed messages (`{ type: ... }`) over IPC. */
export class ChildChannel<In extends { type: string }, Out extends { type: string }> {
  private readonly inbox: In[] = [];
  private waiter: (() => void) | undefined;
  private output = "";
  private exited: string | undefined;

  private constructor(readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-4000);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.on("message", (message: In) => {
      this.inbox.push(message);
      this.waiter?.();
    });
    child.on("exit", (code, signal) => {
      this.exited = `exited with ${signal ?? `code ${code}`}`;
      this.waiter?.();
    });
  }

  /** Spawns `node <flags> <entry> <args>` with the TypeScript loader and an IPC channel. */
  static start<In extends { type: string }, Out extends { type: string }>(
    entry: URL,
    args: readonly string[],
    options: StartOptions = {},
  ): ChildChannel<In, Out> {
    const child = spawn(
      process.execPath,
      [...typescriptFlags(), ...(options.nodeFlags ?? []), fileURLToPath(entry), ...args],
      {
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        env: { ...process.env, NODE_ENV: "production", ...options.env },
      },
    );
    return new ChildChannel<In, Out>(child);
  }

  /** Sends a message to the child. */
  send(message: Out): void {
    this.child.send(message);
  }

  /**
   * Resolves with the next message; rejects if it is a `failed` message, if the child exits first, or
   * after `timeoutMs`. The error carries the tail of the child's output.
   */
  async next(timeoutMs: number): Promise<In> {
    const deadline = Date.now() + timeoutMs;
    while (this.inbox.length === 0) {
      if (this.exited) throw this.failure(`child ${this.exited} before answering`);
      const left = deadline - Date.now();
      if (left <= 0) throw this.failure(`child did not answer within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    const message = this.inbox.shift()!;
    if (message.type === "failed") throw this.failure((message as unknown as { message: string }).message);
    return message;
  }

  /** Resolves with the next message, which must be of `type`. */
  async expect<T extends In["type"]>(type: T, timeoutMs: number): Promise<Extract<In, { type: T }>> {
    const message = await this.next(timeoutMs);
    if (message.type !== type) throw this.failure(`expected a "${type}" message, got "${message.type}"`);
    return message as Extract<In, { type: T }>;
  }

  /** Waits up to `timeoutMs` for the child to exit, then kills it. */
  async stop(timeoutMs: number): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  private failure(reason: string): Error {
    const tail = this.output.trim();
    return new Error(tail ? `${reason}\n--- child output ---\n${tail}` : reason);
  }
}
