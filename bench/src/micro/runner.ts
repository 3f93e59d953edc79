/** Runs micro suites, each in a child process of its own, and collects their samples. */
import { ChildChannel } from "../child.js";
import type { MicroChildConfig, MicroChildMessage, MicroSample } from "./protocol.js";
import type { MicroSuite } from "./suite.js";

/** A suite file and the cases of it selected for this run. */
export interface MicroSelection {
  file: string;
  suite: MicroSuite;
  /** Selected case names (always including the baseline) that can run here. */
  cases: string[];
  /** Cases not run, with the reason (unavailable here, or a service is down). */
  skipped: { name: string; reason: string }[];
}

/** How micro suites are run. */
export interface MicroRunOptions {
  rounds: number;
  minCpuMs: number;
  seed: number;
  /** Node flags for the suite processes (`childNodeFlags` in options.ts). */
  nodeFlags: readonly string[];
  log: (line: string) => void;
}

/** What one suite's run produced. */
export interface MicroSuiteResult {
  suite: string;
  samples: MicroSample[];
  failures: { name: string; message: string }[];
}

const suiteEntry = new URL("./suite-child.ts", import.meta.url);
const MESSAGE_TIMEOUT_MS = 120_000;

/** Runs one suite's selected cases in a fresh child process. */
export async function runMicroSuite(
  selection: MicroSelection,
  options: MicroRunOptions,
): Promise<MicroSuiteResult> {
  const config: MicroChildConfig = {
    rounds: options.rounds,
    minCpuMs: options.minCpuMs,
    seed: options.seed,
    cases: selection.cases,
  };
  const child = ChildChannel.start<MicroChildMessage, never>(
    suiteEntry,
    [selection.file, JSON.stringify(config)],
    {
      nodeFlags: ["--expose-gc", ...options.nodeFlags],
    },
  );
  const result: MicroSuiteResult = { suite: selection.suite.name, samples: [], failures: [] };
  try {
    for (;;) {
      const message = await child.next(MESSAGE_TIMEOUT_MS);
      if (message.type === "done") break;
      if (message.type === "case-failed") {
        result.failures.push({ name: message.name, message: message.message });
        options.log(`[micro ${selection.suite.name}] ${message.name}: FAILED ${message.message}`);
      } else if (message.type === "sample") {
        const { sample } = message;
        result.samples.push(sample);
        options.log(
          `[micro ${selection.suite.name} round ${sample.round + 1}/${options.rounds}] ${sample.name}: ` +
            `${sample.nsPerOp.toFixed(1)} ns/op`,
        );
      }
    }
    await child.stop(5_000);
  } catch (error) {
    result.failures.push({
      name: "(suite)",
      message: error instanceof Error ? error.message : String(error),
    });
    options.log(
      `[micro ${selection.suite.name}] FAILED ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    child.child.kill("SIGKILL");
  }
  return result;
}
