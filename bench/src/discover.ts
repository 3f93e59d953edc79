/**
 * Finding variant and suite files: every `bench/http/<group>/*.ts` exporting `variant`, every
 * `bench/micro/*.ts` and every `bench/measure/*.ts` exporting `suite`. Files are loaded in name
 * order, so runs list them stably.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { HttpEntry } from "./http/entry.js";
import type { HttpVariant } from "./http/variant.js";
import type { MeasureSuite } from "./measure/suite.js";
import type { MicroSuite } from "./micro/suite.js";

/** The bench package's folder. */
export const benchRoot = fileURLToPath(new URL("../", import.meta.url));

const FRAMEWORKS = new Set(["node", "express", "fastify", "hono", "koa"]);

function typescriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(dir, entry.name))
    .sort();
}

function fail(file: string, problem: string): never {
  throw new Error(`${file}: ${problem}`);
}

/** Loads every HTTP variant under `<root>/http/`, checking each descriptor. */
export async function discoverHttp(root = benchRoot): Promise<HttpEntry[]> {
  const httpDir = join(root, "http");
  const groups = readdirSync(httpDir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  const entries: HttpEntry[] = [];
  for (const file of groups.flatMap((group) => typescriptFiles(join(httpDir, group.name))).sort()) {
    const { variant } = (await import(pathToFileURL(file).href)) as { variant?: HttpVariant };
    if (!variant || typeof variant.start !== "function")
      fail(file, "must export `variant` with a `start(port)`");
    if (!FRAMEWORKS.has(variant.framework)) fail(file, `unknown framework "${variant.framework}"`);
    if (entries.some((entry) => entry.name === variant.name))
      fail(file, `duplicate variant name "${variant.name}"`);
    entries.push({
      name: variant.name,
      group: variant.group,
      framework: variant.framework,
      baseline: variant.baseline,
      path: variant.path ?? "/",
      requires: variant.requires ?? [],
      file,
      control: false,
    });
  }
  return entries;
}

/** Loads every micro suite under `<root>/micro/`, checking each descriptor. */
export async function discoverMicro(root = benchRoot): Promise<{ file: string; suite: MicroSuite }[]> {
  const suites: { file: string; suite: MicroSuite }[] = [];
  for (const file of typescriptFiles(join(root, "micro"))) {
    const { suite } = (await import(pathToFileURL(file).href)) as { suite?: MicroSuite };
    if (!suite || !Array.isArray(suite.cases)) fail(file, "must export `suite` with `cases`");
    if (!suite.cases.some((c) => c.name === suite.baseline))
      fail(file, `baseline "${suite.baseline}" is not a case`);
    const names = suite.cases.map((c) => c.name);
    if (new Set(names).size !== names.length) fail(file, "case names must be unique");
    if (suites.some((other) => other.suite.name === suite.name))
      fail(file, `duplicate suite "${suite.name}"`);
    suites.push({ file, suite });
  }
  return suites;
}

/** Loads every measure suite under `<root>/measure/`, checking each descriptor. */
export async function discoverMeasure(root = benchRoot): Promise<{ file: string; suite: MeasureSuite }[]> {
  const suites: { file: string; suite: MeasureSuite }[] = [];
  for (const file of typescriptFiles(join(root, "measure"))) {
    const { suite } = (await import(pathToFileURL(file).href)) as { suite?: MeasureSuite };
    if (!suite || !Array.isArray(suite.cases) || !Array.isArray(suite.columns))
      fail(file, "must export `suite` with `columns` and `cases`");
    if (suite.baseline !== undefined && !suite.cases.some((c) => c.name === suite.baseline))
      fail(file, `baseline "${suite.baseline}" is not a case`);
    if (suite.compare !== undefined && !suite.columns.some((c) => c.key === suite.compare))
      fail(file, `compare "${suite.compare}" is not a column key`);
    const names = suite.cases.map((c) => c.name);
    if (new Set(names).size !== names.length) fail(file, "case names must be unique");
    if (suites.some((other) => other.suite.name === suite.name))
      fail(file, `duplicate suite "${suite.name}"`);
    suites.push({ file, suite });
  }
  return suites;
}
