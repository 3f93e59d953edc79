/** The messages a measure case child sends back to the harness over IPC. */
import type { MeasureResult } from "./suite.js";

/** Child to parent. */
export type MeasureChildMessage =
  | { type: "result"; result: MeasureResult }
  | { type: "failed"; message: string };
