/**
 * Entry point of one micro suite child process: `suite-child.ts <suite file> <config json>`. Every
 * suite runs in a fresh process so one suite's JIT and heap state never leak into another's. Runs
 * with `--expose-gc`, so mitata collects garbage before each measurement.
 */
import { pathToFileURL } from "node:url";
import { getHeapStatistics } from "node:v8";
import { measure } from "mitata";
import { schedule } from "../schedule.js";
import type { MicroChildConfig, MicroChildMessage } from "./protocol.js";
import type { MicroBody, MicroSuite } from "./suite.js";

function send(message: MicroChildMessage): Promise<void> {
  return new Promise((resolve) => process.send?.(message, () => resolve()) ?? resolve());
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(file: string, config: MicroChildConfig): Promise<void> {
  const module = (await import(pathToFileURL(file).href)) as { suite?: MicroSuite };
  if (!module.suite) throw new Error(`${file} does not export a \`suite\``);
  const bodies = new Map<string, MicroBody>();
  const teardowns: { name: string; teardown: () => unknown }[] = [];
  for (const micro of module.suite.cases.filter((c) => config.cases.includes(c.name))) {
    try {
      const setup = await micro.setup();
      if (typeof setup === "function") {
        bodies.set(micro.name, setup);
      } else {
        bodies.set(micro.name, setup.body);
        teardowns.push({ name: micro.name, teardown: setup.teardown });
      }
    } catch (error) {
      await send({ type: "case-failed", name: micro.name, message: `setup failed: ${describe(error)}` });
    }
  }
  const heap = () => getHeapStatistics().used_heap_size;
  for (const [round, names] of schedule([...bodies.keys()], config.rounds, config.seed).entries()) {
    for (const name of names) {
      if (!bodies.has(name)) continue;
      try {
        const stats = await measure(bodies.get(name)!, { min_cpu_time: config.minCpuMs * 1e6, heap });
        // Batches in which a scavenge ran show the heap shrinking; mitata leaves those out of the mean.
        const heapBytesPerOp = stats.heap?.avg ?? Number.NaN;
        await send({
          type: "sample",
          sample: { round, name, nsPerOp: stats.avg, p50Ns: stats.p50, ops: stats.ticks, heapBytesPerOp },
        });
      } catch (error) {
        bodies.delete(name);
        await send({ type: "case-failed", name, message: describe(error) });
      }
    }
  }
  for (const { name, teardown } of teardowns) {
    try {
      await teardown();
    } catch (error) {
      await send({ type: "case-failed", name, message: `teardown failed: ${describe(error)}` });
    }
  }
  await send({ type: "done" });
}

main(process.argv[2] ?? "", JSON.parse(process.argv[3] ?? "{}") as MicroChildConfig).then(
  () => process.exit(0),
  async (error: unknown) => {
    await send({
      type: "failed",
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    process.exit(1);
  },
);
