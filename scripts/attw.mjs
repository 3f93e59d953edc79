// arethetypeswrong on the tarball pnpm publishes (pnpm rewrites workspace:* and applies publishConfig,
// which `attw --pack` with npm would not).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const out = mkdtempSync(join(tmpdir(), "keel-attw-"));
try {
  execFileSync("pnpm", ["pack", "--pack-destination", out], { stdio: ["ignore", "ignore", "inherit"] });
  const tarball = readdirSync(out).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error("pnpm pack produced no tarball");
  execFileSync("attw", [join(out, tarball), "--profile", "node16"], { stdio: "inherit" });
} finally {
  rmSync(out, { recursive: true, force: true });
}
