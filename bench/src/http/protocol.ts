/** The messages the harness and a server child exchange over the IPC channel. */

/** Parent to child. */
export type ParentMessage = { type: "begin" } | { type: "end" } | { type: "close" };

/** Child to parent. */
export type ChildMessage =
  | { type: "ready"; port: number }
  | { type: "begun" }
  | {
      type: "ended";
      cpuUserMicros: number;
      cpuSystemMicros: number;
      counters: Record<string, number>;
    }
  | { type: "failed"; message: string };
