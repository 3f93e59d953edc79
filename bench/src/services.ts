/** Which services the selected entries need are down, so those entries are skipped, not failed. */
import { redisAvailable } from "../../tooling/services.js";
import type { Service } from "./http/variant.js";

const probes: Record<Service, () => Promise<boolean>> = { redis: redisAvailable };

/** Probes each needed service once and returns those that did not answer. */
export async function downServices(needed: Iterable<Service>): Promise<Set<Service>> {
  const down = new Set<Service>();
  for (const service of new Set(needed)) {
    if (!(await probes[service]())) down.add(service);
  }
  return down;
}
