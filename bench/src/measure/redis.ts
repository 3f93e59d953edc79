/**
 * Counting what reaches Redis, on a PRIVATE redis-server (tooling/redis-server.ts: a free port, no
 * persistence), so no other client's commands are counted. A MONITOR connection sees every command
 * with its source: a client's address for a command sent over the network (one round trip each,
 * pipelined or not), `lua` for a command a script ran inside Redis. INFO commandstats cannot tell
 * the two apart, so MONITOR it is; a sentinel command marks the end of a counted span.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { type OwnRedis, startOwnRedis } from "../../../tooling/redis-server.js";

export type { OwnRedis };

/** Commands Redis received during a counted span, by lowercase name. */
export interface CommandCounts {
  /** Sent by clients: what a round-trip count is made of (a script is one EVALSHA here). */
  sent: Record<string, number>;
  /** Run by scripts (`redis.call`) inside Redis: no round trip, but Redis's work. */
  inScripts: Record<string, number>;
}

/** `EVALSHA 1.00, GET 0.50`: commands per operation, most frequent first. */
export function describeCommands(counts: Record<string, number>, operations: number): string {
  const parts = Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, count]) => `${name.toUpperCase()} ${(count / operations).toFixed(2)}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}

/** `GET 2,000, SET 1`: command counts, most frequent first. */
export function listCommands(counts: Record<string, number>): string {
  const parts = Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, count]) => `${name.toUpperCase()} ${count.toLocaleString("en-US")}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}

/** Sum of counts. */
export function totalCommands(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/** What {@link withPrivateRedis} hands its body. */
export interface PrivateRedis {
  server: OwnRedis;
  url: string;
  /** Runs `fn` and returns the commands Redis received meanwhile (from every client). */
  counted(fn: () => Promise<void>): Promise<CommandCounts>;
}

/** Resolves when `seen` resolves, or rejects after 10 s. */
function within10s(seen: Promise<void>, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`MONITOR never saw the ${what} marker`)), 10_000);
  });
  return Promise.race([seen, timeout]).finally(() => clearTimeout(timer));
}

async function countDuring(url: string, fn: () => Promise<void>): Promise<CommandCounts> {
  const id = randomUUID();
  const counts: CommandCounts = { sent: {}, inScripts: {} };
  const marker = new Redis(url, { maxRetriesPerRequest: 1 });
  const monitor = await new Redis(url, { maxRetriesPerRequest: 1 }).monitor();
  let counting = false;
  let started: () => void = () => {};
  let ended: () => void = () => {};
  const startSeen = new Promise<void>((resolve) => {
    started = resolve;
  });
  const endSeen = new Promise<void>((resolve) => {
    ended = resolve;
  });
  // Counting runs from the start marker to the end marker, both sent through the marker client.
  monitor.on("monitor", (_time: string, args: string[], source: string) => {
    const name = String(args[0] ?? "").toLowerCase();
    if (name === "echo" && args[1] === `start-${id}`) {
      counting = true;
      return started();
    }
    if (name === "echo" && args[1] === `end-${id}`) {
      counting = false;
      return ended();
    }
    if (!counting) return;
    const bucket = source === "lua" ? counts.inScripts : counts.sent;
    bucket[name] = (bucket[name] ?? 0) + 1;
  });
  try {
    await marker.echo(`start-${id}`);
    await within10s(startSeen, "start");
    await fn();
    await marker.echo(`end-${id}`);
    await within10s(endSeen, "end");
    return counts;
  } finally {
    monitor.disconnect();
    marker.disconnect();
  }
}

/** Runs `body` against a private redis-server, and always stops the server. */
export async function withPrivateRedis<T>(
  body: (redis: PrivateRedis) => Promise<T>,
  options: { debug?: boolean } = {},
): Promise<T> {
  const server = await startOwnRedis(options.debug ? { debug: true } : {});
  try {
    return await body({ server, url: server.url, counted: (fn) => countDuring(server.url, fn) });
  } finally {
    await server.kill();
  }
}
