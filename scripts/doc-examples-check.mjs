// Every exported symbol has TSDoc with at least one @example (typedoc's own validation only asks for a
// comment). Reads the JSON model typedoc writes beside the site (docs-site/api.json, from the `json`
// option in typedoc.json) and lists each export of each entry point whose comment, or whose first
// signature's comment, has no @example block.
// Usage: node scripts/doc-examples-check.mjs [path to api.json]
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const model = JSON.parse(readFileSync(process.argv[2] ?? join(root, "docs-site", "api.json"), "utf8"));
const KIND = { Module: 2, Reference: 4194304 };

const hasExample = (comment) => comment?.blockTags?.some((tag) => tag.tag === "@example") ?? false;
const documented = (reflection) =>
  hasExample(reflection.comment) ||
  (reflection.signatures ?? []).some((s) => hasExample(s.comment)) ||
  hasExample(reflection.getSignature?.comment);

const missing = [];
let checked = 0;
function visit(reflection, path) {
  for (const child of reflection.children ?? []) {
    if (child.kind === KIND.Module) {
      visit(child, path === "" ? child.name : `${path}/${child.name}`);
      continue;
    }
    if (child.kind === KIND.Reference) continue; // a re-export: checked where it is declared
    checked += 1;
    if (!documented(child)) missing.push(`${path.replace(/\/index$/, "")}: ${child.name}`);
  }
}
visit(model, "");

if (missing.length > 0) {
  console.error(`exports without an @example (${missing.length} of ${checked}):\n  ${missing.join("\n  ")}`);
  process.exit(1);
}
console.log(`doc examples check passed: all ${checked} exports have TSDoc with an @example`);
