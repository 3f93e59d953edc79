import { packageProject } from "../../tooling/vitest.preset.js";

export default packageProject("cache");
