import { defineProject } from "vitest/config";

/**
 * The short versions of the reliability scripts, as a vitest project ("reliability"): each test runs
 * one script with small bounds in a child process and asserts every check of its report passed.
 */
export default defineProject({
  test: {
    name: "reliability",
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // The scripts start servers and child processes of their own: one at a time on 2 cores.
    fileParallelism: false,
  },
});
