import { packageProject } from "../../tooling/vitest.preset.js";

export default packageProject("perf-monitor");
