/** Runs the selected cases of a measure suite, each once, each in a fresh child process. */
import { ChildChannel } from "../child.js";
import type { MeasureChildMessage } from "./protocol.js";
import type { MeasureResult, MeasureSuite } from "./suite.js";

/** A suite file and the cases of it selected for this run. */
export interface MeasureSelection {
  file: string;
  suite: MeasureSuite;
  /** Selected case names that can run here (the baseline, when the suite has one, among them). */
  cases: string[];
  /** Cases not run, with the reason (unavailable here, or a service is down). */
  skipped: { name: string; reason: string }[];
}

/** One case's outcome: its result, or why it failed. */
export type MeasureOutcome = { name: string; result: MeasureResult } | { name: string; error: string };

const caseEntry = new URL("./case-child.ts", import.meta.url);
const DEFAULT_TIMEOUT_SEC = 120;

/**
 * Runs one case in a child process with `--expose-gc` plus `nodeFlags`. Bytecode flushing is off:
 * otherwise every few full collections V8 drops the bytecode of functions not run lately (module
 * loading code, say), and memory read before and after a measurement drifts down by itself.
 */
export async function runMeasureCase(
  selection: MeasureSelection,
  name: string,
  nodeFlags: readonly string[],
): Promise<MeasureOutcome> {
  const timeoutMs = (selection.suite.timeoutSec ?? DEFAULT_TIMEOUT_SEC) * 1000;
  const child = ChildChannel.start<MeasureChildMessage, never>(
    caseEntry,
    [selection.file, name, String(timeoutMs)],
    { nodeFlags: ["--expose-gc", "--no-flush-bytecode", ...nodeFlags] },
  );
  try {
    const message = await child.expect("result", timeoutMs);
    await child.stop(5_000);
    return { name, result: message.result };
  } catch (error) {
    return { name, error: error instanceof Error ? error.message : String(error) };
  } finally {
    child.child.kill("SIGKILL");
  }
}
