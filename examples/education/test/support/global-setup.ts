// Starting a fresh PGlite runs initdb: seconds of CPU per test file. Loading a dumped data
// directory takes a fraction of that, so this runs initdb once per test run and hands every
// test file the dump (see openPglite in databases.ts).
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of a dumped, empty PGlite data directory (a tar file). */
    pgliteTemplate: string;
  }
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pglite = await PGlite.create();
  const dump = await pglite.dumpDataDir("none");
  await pglite.close();
  const path = join(tmpdir(), `keel-education-pglite-${process.pid}-${Date.now().toString(36)}.tar`);
  await writeFile(path, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteTemplate", path);
  return () => rm(path, { force: true });
}
