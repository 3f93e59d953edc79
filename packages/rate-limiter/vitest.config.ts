import { packageProject } from "../../tooling/vitest.preset.js";

export default packageProject("rate-limiter");
