import { Redis } from "ioredis";
import { createClient } from "redis";
import type { RedisClientLike, RedisSendCommand } from "../../src/stores/redis.js";

/** The two client libraries the store must work with, created with the settings its TSDoc recommends. */
export type ClientName = "ioredis" | "node-redis";

/** A connected client, a counting `sendCommand` over it, and a way to close it. */
export interface TestClient {
  readonly name: ClientName;
  /** The raw client, to hand to `redisStore({ client })`. */
  readonly client: RedisClientLike;
  /** Sends one command (for assertions: TTLs, keys). */
  command(args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

/** Creates and connects a fail-fast client of `name` on `url`. */
export async function connectClient(name: ClientName, url: string): Promise<TestClient> {
  if (name === "ioredis") {
    const client = new Redis(url, {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      retryStrategy: () => 50,
      lazyConnect: true,
    });
    client.on("error", () => {});
    await client.connect();
    return {
      name,
      client,
      command: (args) => client.call(args[0] as string, ...args.slice(1)),
      close: async () => {
        client.disconnect();
      },
    };
  }
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: () => 50, connectTimeout: 500 },
  });
  client.on("error", () => {});
  await client.connect();
  return {
    name,
    client,
    command: (args) => client.sendCommand(args),
    close: async () => {
      client.destroy();
    },
  };
}

/** A `sendCommand` that counts what it sends: the round trips a store made. */
export function countingSend(test: TestClient): { send: RedisSendCommand; sent: string[][] } {
  const sent: string[][] = [];
  return {
    sent,
    send: (args) => {
      sent.push(args);
      return test.command(args);
    },
  };
}
