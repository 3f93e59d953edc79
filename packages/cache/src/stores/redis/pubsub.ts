/**
 * An ioredis connection used for pub/sub (`client.duplicate()`), recognised by its `call` method.
 *
 * @example
 * ```ts
 * const subscriber: IoRedisLikeSubscriber = client.duplicate();
 * ```
 */
export interface IoRedisLikeSubscriber {
  /** ioredis's generic command method (only used to recognise the client). */
  call(command: string, ...args: string[]): Promise<unknown>;
  /** Subscribes the connection to a channel. */
  subscribe(channel: string): Promise<unknown>;
  /** Unsubscribes the connection from a channel. */
  unsubscribe(channel: string): Promise<unknown>;
  /** Registers a listener for published messages. */
  on(event: "message", listener: (channel: string, message: string) => void): unknown;
  /** Registers a listener for the connection becoming ready (again). */
  on(event: "ready", listener: () => void): unknown;
  /** Removes a message listener. */
  off(event: "message", listener: (channel: string, message: string) => void): unknown;
  /** Removes a ready listener. */
  off(event: "ready", listener: () => void): unknown;
  /** Waits once for the connection to be ready. */
  once(event: "ready", listener: () => void): unknown;
  /** The connection state: `"ready"` once connected. */
  readonly status?: string;
}

/** ioredis states in which the connection is on its way to `ready`. */
const CONNECTING = new Set(["connecting", "connect", "reconnecting"]);

/**
 * A node-redis connection used for pub/sub (`await client.duplicate().connect()`), recognised by
 * its `sendCommand` method.
 *
 * @example
 * ```ts
 * const subscriber: NodeRedisLikeSubscriber = await client.duplicate().connect();
 * ```
 */
export interface NodeRedisLikeSubscriber {
  /** node-redis's raw command method (only used to recognise the client). */
  sendCommand(args: string[]): Promise<unknown>;
  /** Subscribes `listener` to a channel. */
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  /** Unsubscribes `listener` from a channel. */
  unsubscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  /** Registers a listener for the connection becoming ready (again). */
  on(event: "ready", listener: () => void): unknown;
  /** Removes a ready listener. */
  off(event: "ready", listener: () => void): unknown;
}

/**
 * A connection `tieredStore` may put in subscriber mode: a dedicated duplicate of your client, from
 * ioredis or node-redis. It is yours: the store subscribes and unsubscribes, never closes it.
 *
 * @example
 * ```ts
 * const subscriber: RedisSubscriberLike = client.duplicate();
 * ```
 */
export type RedisSubscriberLike = IoRedisLikeSubscriber | NodeRedisLikeSubscriber;

/** What the store hears on its channel and from the connection. */
export interface SubscriptionHandlers {
  /** A message published on the channel. */
  message(text: string): void;
  /** The connection is ready again after a disconnect: messages in between were lost. */
  reconnected(): void;
}

/** Which client a subscriber connection is, by shape; undefined when it is neither. */
export function subscriberKind(subscriber: unknown): "ioredis" | "node-redis" | undefined {
  if (typeof subscriber !== "object" || subscriber === null) return undefined;
  const shape = subscriber as Record<string, unknown>;
  if (typeof shape.subscribe !== "function" || typeof shape.on !== "function") return undefined;
  if (typeof shape.call === "function") return "ioredis";
  return typeof shape.sendCommand === "function" ? "node-redis" : undefined;
}

/**
 * Subscribes to `channel`, resolving once Redis confirmed the subscription, to a function that
 * unsubscribes and detaches every listener it added. Both clients resubscribe by themselves after a
 * reconnect; `handlers.reconnected` tells the store that messages may have been lost meanwhile.
 */
export async function subscribe(
  subscriber: RedisSubscriberLike,
  channel: string,
  handlers: SubscriptionHandlers,
): Promise<() => Promise<void>> {
  const onReady = () => handlers.reconnected();
  if (subscriberKind(subscriber) === "ioredis") {
    const io = subscriber as IoRedisLikeSubscriber;
    const onMessage = (from: string, text: string) => {
      if (from === channel) handlers.message(text);
    };
    // A duplicate may still be connecting; without an offline queue, SUBSCRIBE would fail now.
    if (CONNECTING.has(io.status ?? ""))
      await new Promise<void>((resolve) => io.once("ready", () => resolve()));
    io.on("message", onMessage);
    await io.subscribe(channel);
    io.on("ready", onReady);
    return async () => {
      io.off("message", onMessage);
      io.off("ready", onReady);
      await io.unsubscribe(channel);
    };
  }
  const node = subscriber as NodeRedisLikeSubscriber;
  const onMessage = (text: string) => handlers.message(text);
  await node.subscribe(channel, onMessage);
  node.on("ready", onReady);
  return async () => {
    node.off("ready", onReady);
    await node.unsubscribe(channel, onMessage);
  };
}
