import { Redis } from "ioredis";
import { createClient } from "redis";
import type { RedisArgument, RedisClientLike } from "../../src/stores/redis/command.js";
import type { RedisSubscriberLike } from "../../src/stores/redis/pubsub.js";

/** The two client libraries every Redis test runs on. */
export type ClientName = "ioredis" | "node-redis";
export const CLIENT_NAMES: readonly ClientName[] = ["ioredis", "node-redis"];

/** A connected client, a log of the commands stores sent through it, and a way to close it. */
export interface TestClient {
  readonly name: ClientName;
  /** The raw client, to hand to `redisStore({ client })`. */
  readonly client: RedisClientLike;
  /** Every command a store sent through `client` since the last `sent.length = 0`: one entry per round trip. */
  readonly sent: string[][];
  /** Sends one command outside the log (for assertions). */
  command(args: RedisArgument[]): Promise<unknown>;
  /** A second connection to the same server (a subscriber for `tieredStore`), closed with this one. */
  duplicate(): Promise<RedisSubscriberLike>;
  close(): Promise<void>;
}

const label = (args: readonly unknown[]): string[] =>
  args.map((arg) => (Buffer.isBuffer(arg) ? `<${arg.length} bytes>` : String(arg)));

/** `failFast`: commands reject at once while disconnected (no offline queue), for outage tests. */
export interface ConnectOptions {
  readonly failFast?: boolean;
}

async function connectIoredis(url: string, { failFast = false }: ConnectOptions): Promise<TestClient> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: failFast ? 0 : 1,
    enableOfflineQueue: !failFast,
    retryStrategy: () => 50,
  });
  client.on("error", () => {});
  await client.connect();
  const sent: string[][] = [];
  const extra: Redis[] = [];
  // Spy on the two entry points the store uses; the real client still talks to the real server.
  const call = client.call.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const callBuffer = client.callBuffer.bind(client) as (...args: unknown[]) => Promise<unknown>;
  Object.assign(client, {
    call: (...args: unknown[]) => {
      sent.push(label(args));
      return call(...args);
    },
    callBuffer: (...args: unknown[]) => {
      sent.push(label(args));
      return callBuffer(...args);
    },
  });
  return {
    name: "ioredis",
    client,
    sent,
    command: (args) => call(...args),
    duplicate: async () => {
      const copy = client.duplicate();
      copy.on("error", () => {});
      extra.push(copy);
      await copy.connect(); // lazyConnect is inherited
      return copy;
    },
    close: async () => {
      for (const copy of extra) copy.disconnect();
      client.disconnect();
    },
  };
}

async function connectNodeRedis(url: string, { failFast = false }: ConnectOptions): Promise<TestClient> {
  const client = createClient({
    url,
    disableOfflineQueue: failFast,
    socket: { reconnectStrategy: () => 50 },
  });
  client.on("error", () => {});
  await client.connect();
  const sent: string[][] = [];
  const extra: { destroy(): void }[] = [];
  const sendCommand = client.sendCommand.bind(client);
  Object.assign(client, {
    sendCommand: (args: RedisArgument[], options?: object) => {
      sent.push(label(args));
      return sendCommand(args, options);
    },
  });
  return {
    name: "node-redis",
    client,
    sent,
    command: (args) => sendCommand(args),
    duplicate: async () => {
      const copy = client.duplicate();
      copy.on("error", () => {});
      await copy.connect();
      extra.push(copy);
      return copy;
    },
    close: async () => {
      for (const copy of extra) copy.destroy();
      client.destroy();
    },
  };
}

/** Connects a client of `name` to `url`. */
export function connectClient(
  name: ClientName,
  url: string,
  options: ConnectOptions = {},
): Promise<TestClient> {
  return name === "ioredis" ? connectIoredis(url, options) : connectNodeRedis(url, options);
}
