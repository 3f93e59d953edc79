/**
 * Entry point of one measure case's child process: `case-child.ts <suite file> <case name>
 * <timeout ms>`. Runs the case once and reports. Runs with `--expose-gc`. Exits by itself shortly
 * before the harness would kill it, so `process.on("exit")` handlers (which stop private
 * redis-server children) still run.
 */
import { pathToFileURL } from "node:url";
import type { MeasureChildMessage } from "./protocol.js";
import type { MeasureSuite } from "./suite.js";

/** How long before the harness's deadline the child gives up by itself. */
const MARGIN_MS = 5_000;

function send(message: MeasureChildMessage): Promise<void> {
  return new Promise((resolve) => process.send?.(message, () => resolve()) ?? resolve());
}

async function main(file: string, name: string): Promise<void> {
  const module = (await import(pathToFileURL(file).href)) as { suite?: MeasureSuite };
  const found = module.suite?.cases.find((c) => c.name === name);
  if (!found) throw new Error(`${file} has no measure case "${name}"`);
  await send({ type: "result", result: await found.run() });
}

const timeoutMs = Number(process.argv[4] ?? 120_000);
setTimeout(
  () => {
    void send({ type: "failed", message: `gave up after ${(timeoutMs - MARGIN_MS) / 1000} s` }).then(() =>
      process.exit(1),
    );
  },
  Math.max(1_000, timeoutMs - MARGIN_MS),
).unref();
process.on("disconnect", () => process.exit(1));

main(process.argv[2] ?? "", process.argv[3] ?? "").then(
  () => process.exit(0),
  async (error: unknown) => {
    await send({
      type: "failed",
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exit(1);
  },
);
