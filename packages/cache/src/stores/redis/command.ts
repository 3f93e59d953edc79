import { CacheError } from "../../errors.js";

/**
 * One argument of a Redis command: text, or bytes for binary values.
 *
 * @example
 * ```ts
 * const args: RedisArgument[] = ["SET", "key", Buffer.from([0xff]), "PX", "60000"];
 * ```
 */
export type RedisArgument = string | Buffer;

/**
 * Sends one Redis command (`["GET", "keel:cache:entry:user:1"]`) and resolves to its raw reply.
 *
 * The smallest thing `redisStore` needs from a client: pass one when your client is neither ioredis
 * nor node-redis, or to add tracing. It must send exactly one command per call. Bulk replies may come
 * back as strings or Buffers; they must be Buffers when the store's serializer returns Buffers.
 *
 * @example
 * ```ts
 * const sendCommand: RedisSendCommand = (args) => ioredis.callBuffer(String(args[0]), ...args.slice(1));
 * const store = redisStore({ sendCommand });
 * ```
 */
export type RedisSendCommand = (args: RedisArgument[]) => Promise<unknown>;

/**
 * An ioredis client (`new Redis()`), recognised by its `call` and `callBuffer` methods.
 *
 * @example
 * ```ts
 * const client: IoRedisLikeClient = new Redis({ maxRetriesPerRequest: 1 });
 * ```
 */
export interface IoRedisLikeClient {
  /** ioredis's generic command method; bulk replies are strings. */
  call(command: string, ...args: RedisArgument[]): Promise<unknown>;
  /** The same, with bulk replies as Buffers. */
  callBuffer(command: string, ...args: RedisArgument[]): Promise<unknown>;
}

/**
 * A node-redis client (`createClient()`, v4 to v6), recognised by its `sendCommand` method.
 *
 * @example
 * ```ts
 * const client: NodeRedisLikeClient = await createClient({ url: "redis://127.0.0.1:6379" }).connect();
 * ```
 */
export interface NodeRedisLikeClient {
  /** node-redis's raw command method; `options` asks for Buffer replies (v4 and v5+ spellings). */
  // biome-ignore lint/suspicious/noExplicitAny: node-redis's option types differ per major version.
  sendCommand(args: RedisArgument[], options?: any): Promise<unknown>;
}

/**
 * Any client `redisStore` accepts: an ioredis `Redis` or a node-redis client, told apart by shape.
 *
 * @example
 * ```ts
 * const client: RedisClientLike = new Redis();
 * ```
 */
export type RedisClientLike = IoRedisLikeClient | NodeRedisLikeClient;

/** How the store talks to Redis, whatever the client: every command is one call. */
export interface RedisCommands {
  /** Which client shape was recognised. */
  readonly kind: "ioredis" | "node-redis" | "send-command";
  /** Sends a command; bulk replies are strings. */
  send(args: RedisArgument[]): Promise<unknown>;
  /** Sends a command; bulk replies are Buffers (or strings, for a `sendCommand` that only gives strings). */
  sendBuffers(args: RedisArgument[]): Promise<unknown>;
}

// node-redis v5+ maps reply types through `typeMapping` (36 is RESP's `$` bulk string); v4 read
// `returnBuffers`. Each version ignores the other's option.
const NODE_REDIS_BUFFERS = { typeMapping: { 36: Buffer }, returnBuffers: true };

function invalid(message: string): CacheError {
  return new CacheError("ERR_KEEL_CACHE_OPTION", `redisStore: ${message}`);
}

/**
 * Wraps a client in {@link RedisCommands}, by shape and never by import: `call` and `callBuffer`
 * mean ioredis, `sendCommand` means node-redis. Clusters are refused: `keys`, `invalidate`, `clear`
 * and `size` walk one server's keyspace with SCAN, and tags touch several keys at once.
 */
export function toRedisCommands(client: unknown, sendCommand: unknown): RedisCommands {
  if ((client === undefined) === (sendCommand === undefined)) {
    throw invalid("give exactly one of `client` (ioredis or node-redis) and `sendCommand`");
  }
  if (sendCommand !== undefined) {
    if (typeof sendCommand !== "function")
      throw invalid("`sendCommand` must be a function (args) => Promise");
    const send = (args: RedisArgument[]) => (sendCommand as RedisSendCommand)(args);
    return { kind: "send-command", send, sendBuffers: send };
  }
  if (typeof client !== "object" || client === null) {
    throw invalid("`client` must be an ioredis or node-redis client");
  }
  const shape = client as Record<string, unknown>;
  if (shape.isCluster === true || "masters" in shape) {
    throw invalid("Redis Cluster is not supported: pass a client for a single server (or a Sentinel group)");
  }
  if (typeof shape.call === "function" && typeof shape.callBuffer === "function") {
    const keyPrefix = (shape.options as { keyPrefix?: unknown } | undefined)?.keyPrefix;
    if (typeof keyPrefix === "string" && keyPrefix !== "") {
      throw invalid(
        `the ioredis client has keyPrefix ${JSON.stringify(keyPrefix)}, which SCAN patterns do not get; remove it and pass it as \`prefix\``,
      );
    }
    const io = client as IoRedisLikeClient;
    return {
      kind: "ioredis",
      send: (args) => io.call(String(args[0]), ...args.slice(1)),
      sendBuffers: (args) => io.callBuffer(String(args[0]), ...args.slice(1)),
    };
  }
  if (typeof shape.sendCommand === "function") {
    const node = client as NodeRedisLikeClient;
    return {
      kind: "node-redis",
      send: (args) => node.sendCommand(args),
      sendBuffers: (args) => node.sendCommand(args, NODE_REDIS_BUFFERS),
    };
  }
  throw invalid(
    "`client` is neither an ioredis client (no `call`/`callBuffer`) nor a node-redis client (no `sendCommand`); pass `sendCommand` instead",
  );
}
