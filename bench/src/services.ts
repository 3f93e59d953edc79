/** Which services the selected entries need are down, so those entries are skipped, not failed. */
import { spawnSync } from "node:child_process";
import { redisAvailable } from "../../tooling/services.js";
import type { Service } from "./http/variant.js";

/** Whether a `redis-server` binary is on PATH, for cases that start a private server of their own. */
async function redisServerInstalled(): Promise<boolean> {
  const probe = spawnSync("redis-server", ["--version"], { stdio: "ignore", timeout: 5_000 });
  return probe.status === 0;
}

const probes: Record<Service, () => Promise<boolean>> = {
  redis: redisAvailable,
  "redis-server": redisServerInstalled,
};

/** Probes each needed service once and returns those that did not answer. */
export async function downServices(needed: Iterable<Service>): Promise<Set<Service>> {
  const down = new Set<Service>();
  for (const service of new Set(needed)) {
    if (!(await probes[service]())) down.add(service);
  }
  return down;
}
