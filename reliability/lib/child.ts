// Child processes the reliability scripts start and watch: a server written in TypeScript, run with
// tsx and the @keel/source condition, that prints {"port":N} on its first line of output.
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = `${ROOT}node_modules/.bin/tsx`;

export interface Child {
  readonly name: string;
  readonly port: number;
  readonly process: ChildProcess;
  /** Exits the child did not ask for (a crash, an OOM, a kill by someone else). */
  readonly crashes: number;
  /** The last lines it wrote to stderr (for reports when something went wrong). */
  readonly stderrTail: readonly string[];
  /** Lines of stderr that report an unhandled rejection or an uncaught exception. */
  readonly unhandled: number;
  /** Lines of stderr matching `StartOptions.notable`, each with the 5 lines after it (at most 50). */
  readonly notable: readonly string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  readonly env?: Record<string, string>;
  readonly nodeArgs?: readonly string[];
  readonly cwd?: string;
  /** Longest wait for the port line. */
  readonly startTimeoutMs?: number;
  /** Stderr lines worth keeping whatever follows (see `Child.notable`). */
  readonly notable?: RegExp;
  /** How the child announces its port (first capture group). @default {"port":N} */
  readonly portPattern?: RegExp;
}

const running = new Set<ChildProcess>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    for (const child of running) child.kill("SIGKILL");
    process.exit(130);
  });
}
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Starts `script` (a .ts file) and resolves once it printed its port. */
export function startChild(name: string, script: string, options: StartOptions = {}): Promise<Child> {
  const args = ["--conditions=@keel/source", ...(options.nodeArgs ?? []).map((a) => a), script];
  const child = spawn(TSX, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let stopping = false;
  let crashes = 0;
  let unhandled = 0;
  const stderrTail: string[] = [];
  const notable: string[] = [];
  let follow = 0;
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on("line", (line) => {
    if (follow > 0) {
      follow--;
      notable[notable.length - 1] += ` | ${line.trim()}`;
    } else if (options.notable?.test(line) && notable.length < 50) {
      notable.push(line);
      follow = 5;
    }
    if (/unhandled ?rejection|uncaught ?exception/i.test(line)) unhandled++;
    stderrTail.push(line);
    if (stderrTail.length > 400) stderrTail.shift();
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      running.delete(child);
      if (!stopping) {
        crashes++;
        stderrTail.push(`[exited with ${signal ?? code}]`);
      }
      resolve();
    });
  });
  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `${name} did not print its port within ${options.startTimeoutMs ?? 60_000} ms:\n${stderrTail.join("\n")}`,
        ),
      );
    }, options.startTimeoutMs ?? 60_000);
    timer.unref();
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const match = (options.portPattern ?? /"port"\s*:\s*(\d+)/).exec(line);
      if (match === null) return;
      clearTimeout(timer);
      resolve({
        name,
        port: Number(match[1]),
        process: child,
        get crashes() {
          return crashes;
        },
        get unhandled() {
          return unhandled;
        },
        notable,
        stderrTail,
        async stop(graceMs = 3_000) {
          stopping = true;
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill("SIGTERM");
          const killer = setTimeout(() => child.kill("SIGKILL"), graceMs);
          await exited;
          clearTimeout(killer);
        },
      });
    });
    child.once("exit", () => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before printing its port:\n${stderrTail.join("\n")}`));
    });
  });
}
