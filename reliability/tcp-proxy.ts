// A small TCP proxy on 127.0.0.1 for fault injection between an app and its Redis: it adds latency
// in both directions, drops every connection, or holds traffic (a black hole, as in a network
// partition), and goes back to normal on command.
import { connect, createServer, type Server, type Socket } from "node:net";

/** How the proxy treats traffic right now. */
export type ProxyMode =
  | { readonly kind: "pass" }
  /** Every chunk waits `ms` milliseconds in each direction. */
  | { readonly kind: "latency"; readonly ms: number }
  /** Open connections are reset and new ones are reset on arrival. */
  | { readonly kind: "drop" }
  /** Connections stay open but nothing goes through (no reset, no answer). */
  | { readonly kind: "blackhole" };

export interface TcpProxy {
  readonly port: number;
  /** Connections accepted since start. */
  readonly accepted: number;
  /** Switches mode. Leaving `blackhole` resets the connections it held, as a partition ending would time them out. */
  setMode(mode: ProxyMode): void;
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
}

/** Starts a proxy from a free port of 127.0.0.1 to `127.0.0.1:targetPort`. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let mode: ProxyMode = { kind: "pass" };
  let accepted = 0;
  const pairs = new Set<Pair>();

  const forward = (from: Socket, to: Socket) => {
    from.on("data", (chunk: Buffer) => {
      const current = mode;
      if (current.kind === "blackhole" || current.kind === "drop") return;
      if (current.kind === "latency") {
        // Equal delays fire in the order they were set, so the byte order is kept.
        setTimeout(() => {
          if (!to.destroyed) to.write(chunk);
        }, current.ms).unref();
      } else if (!to.destroyed) to.write(chunk);
    });
  };

  const server: Server = createServer((client) => {
    accepted++;
    if (mode.kind === "drop") {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(targetPort, "127.0.0.1");
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;

  const resetAll = () => {
    for (const { client, upstream } of pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };

  return {
    port,
    get accepted() {
      return accepted;
    },
    setMode(next) {
      const previous = mode;
      mode = next;
      if (next.kind === "drop" || (previous.kind === "blackhole" && next.kind !== "blackhole")) resetAll();
    },
    close() {
      resetAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
