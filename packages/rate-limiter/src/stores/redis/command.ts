/**
 * Sends one Redis command (`["EVALSHA", sha, "2", key, ...]`) and resolves to its raw reply.
 *
 * The smallest thing {@link redisStore} needs from a client. Pass one when your client is neither ioredis
 * nor node-redis, or to add tracing. It must send exactly one command per call, must not retry a command
 * that may have reached the server (a retried script would count twice), and, for a cluster, must route
 * the command by its first key (every key of one call shares a hash tag, so any key routes it).
 *
 * @example
 * ```ts
 * const sendCommand: RedisSendCommand = (args) => ioredis.call(args[0]!, ...args.slice(1));
 * const store = redisStore({ sendCommand });
 * ```
 */
export type RedisSendCommand = (args: string[]) => Promise<unknown>;

/**
 * An ioredis client, `Redis` or `Cluster` (detected by its `call` method).
 *
 * @example
 * ```ts
 * const client: IoRedisLikeClient = new Redis({ maxRetriesPerRequest: 0, enableOfflineQueue: false });
 * ```
 */
export interface IoRedisLikeClient {
  /** ioredis's generic command method. */
  call(command: string, ...args: string[]): Promise<unknown>;
}

/**
 * A node-redis client from `createClient()` (detected by `sendCommand` without cluster members).
 *
 * @example
 * ```ts
 * const client: NodeRedisLikeClient = await createClient({ disableOfflineQueue: true }).connect();
 * ```
 */
export interface NodeRedisLikeClient {
  /** node-redis's raw command method. */
  sendCommand(args: string[]): Promise<unknown>;
}

/**
 * A node-redis cluster from `createCluster()` (detected by `sendCommand` plus its `masters` list).
 *
 * @example
 * ```ts
 * const client: NodeRedisLikeCluster = await createCluster({ rootNodes }).connect();
 * ```
 */
export interface NodeRedisLikeCluster {
  /** node-redis's cluster command method: routed by `firstKey`. */
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
  ): Promise<unknown>;
  /** The cluster's master nodes; its presence tells a cluster from a single client. */
  readonly masters: unknown;
}

/**
 * Any client {@link redisStore} accepts: ioredis `Redis`/`Cluster`, node-redis `createClient()`/`createCluster()`.
 *
 * @example
 * ```ts
 * const store = redisStore({ client: new Redis() satisfies RedisClientLike });
 * ```
 */
export type RedisClientLike = IoRedisLikeClient | NodeRedisLikeClient | NodeRedisLikeCluster;

/** Internal: sends `args`, routed (for clusters) by `firstKey`. */
export type CommandSender = (args: string[], firstKey?: string) => Promise<unknown>;

/** Which kind of client {@link toCommandSender} recognised, for error messages and tests. */
export type RedisClientKind = "ioredis" | "node-redis" | "node-redis-cluster" | "send-command";

/**
 * Wraps a client in a {@link CommandSender}, telling clients apart by shape, never by import:
 * `call` means ioredis (single or cluster: ioredis routes scripts by their keys itself), `sendCommand`
 * with a `masters` member means a node-redis cluster (routed by the first key), any other `sendCommand`
 * means a node-redis client. Returns undefined when the value is none of these.
 */
export function toCommandSender(
  client: unknown,
): { readonly kind: RedisClientKind; readonly send: CommandSender } | undefined {
  if (typeof client !== "object" || client === null) return undefined;
  const candidate = client as Partial<Record<"call" | "sendCommand", unknown>>;
  if (typeof candidate.call === "function") {
    const io = client as IoRedisLikeClient;
    // apply, not `call(args[0], ...args.slice(1))`: no copy of the command per send.
    return { kind: "ioredis", send: (args) => Reflect.apply(io.call, io, args) as Promise<unknown> };
  }
  if (typeof candidate.sendCommand !== "function") return undefined;
  if ("masters" in client) {
    const cluster = client as NodeRedisLikeCluster;
    return {
      kind: "node-redis-cluster",
      send: (args, firstKey) => cluster.sendCommand(firstKey, false, args),
    };
  }
  const single = client as NodeRedisLikeClient;
  return { kind: "node-redis", send: (args) => single.sendCommand(args) };
}
