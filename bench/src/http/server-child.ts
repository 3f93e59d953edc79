/**
 * Entry point of one server child process: `server-child.ts <variant file>`. It starts the variant on
 * a free port, reports the port, and around each measurement reports the CPU time this whole process
 * spent (all threads: JIT, GC, libuv) plus the variant's counters, so the parent can divide by the
 * requests served.
 */
import { pathToFileURL } from "node:url";
import type { ChildMessage, ParentMessage } from "./protocol.js";
import type { HttpVariant, RunningServer } from "./variant.js";

function send(message: ChildMessage): void {
  process.send?.(message);
}

function subtract(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([key, value]) => [key, value - (before[key] ?? 0)]));
}

async function main(file: string): Promise<void> {
  const module = (await import(pathToFileURL(file).href)) as { variant?: HttpVariant };
  if (!module.variant) throw new Error(`${file} does not export a \`variant\``);
  const running: RunningServer = await module.variant.start(0);
  let cpuBefore = process.cpuUsage();
  let countersBefore: Record<string, number> = {};

  process.on("message", (message: ParentMessage) => {
    if (message.type === "begin") {
      countersBefore = running.counters?.() ?? {};
      cpuBefore = process.cpuUsage();
      send({ type: "begun" });
    } else if (message.type === "end") {
      const cpu = process.cpuUsage(cpuBefore);
      const counters = subtract(running.counters?.() ?? {}, countersBefore);
      send({ type: "ended", cpuUserMicros: cpu.user, cpuSystemMicros: cpu.system, counters });
    } else if (message.type === "close") {
      void running.close().finally(() => process.exit(0));
    }
  });
  // If the harness goes away, so do we: no orphaned servers.
  process.on("disconnect", () => process.exit(0));
  send({ type: "ready", port: running.port });
}

main(process.argv[2] ?? "").catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  // Exit once the report is flushed: a half-started variant may hold handles open.
  process.send?.({ type: "failed", message } satisfies ChildMessage, () => process.exit(1));
});
