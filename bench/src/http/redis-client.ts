/**
 * The Redis connection of the HTTP variants that use Redis (the shared server at `REDIS_URL`):
 * an ioredis client that counts every command it sends (each a round trip; a script is one
 * EVALSHA), for the `redisCommands/req` column, and a cleanup that deletes every key under the
 * variant's unique prefix. Counted on the client because the shared server's INFO also counts other
 * users' commands; bench/measure/rate-limit-commands.ts counts the same thing on the server side.
 */
import { Redis } from "ioredis";
import { REDIS_URL, uniquePrefix } from "../../../tooling/services.js";

/** A connected, counting client and its prefix. */
export interface CountingRedis {
  client: Redis;
  /** A prefix unique to this process: every key the variant writes starts with it. */
  prefix: string;
  /** Commands sent so far. */
  sent(): number;
  /** Deletes the keys under `prefix` (SCAN + UNLINK) and disconnects. */
  close(): Promise<void>;
}

/** Connects to the shared Redis and starts counting. */
export async function countingRedis(label: string): Promise<CountingRedis> {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  await client.ping();
  let sent = 0;
  const send = client.sendCommand.bind(client);
  client.sendCommand = ((...args: Parameters<Redis["sendCommand"]>) => {
    sent++;
    return send(...args);
  }) as Redis["sendCommand"];
  const prefix = uniquePrefix(`bench-${label}`);
  return {
    client,
    prefix,
    sent: () => sent,
    close: async () => {
      let cursor = "0";
      do {
        const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
        if (keys.length > 0) await client.unlink(...keys);
        cursor = next;
      } while (cursor !== "0");
      client.disconnect();
    },
  };
}
