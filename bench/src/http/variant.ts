/**
 * What an HTTP variant file exports, and the helpers variant files share. A variant is one file under
 * `bench/http/<group>/`, exporting `variant`; the harness runs it in its own child process.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The frameworks a variant can be written against; its bare baseline uses the same one. */
export type Framework = "node" | "express" | "fastify" | "hono" | "koa";

/**
 * Services a variant or case needs; when one is down it is skipped, loudly, instead of failing.
 * `redis` is the shared server at `REDIS_URL`; `redis-server` is the binary, for cases that start a
 * private server on a free port (to count commands exactly, or to fill it with a million keys).
 */
export type Service = "redis" | "redis-server";

/** The interface every server binds to. Never 0.0.0.0: benchmarks talk to this machine only. */
export const HOST = "127.0.0.1";

/** The small JSON body every route answers with, so variants differ only in what they add. */
export const BODY = { id: 42, name: "keel", ok: true, tags: ["bench", "baseline"] } as const;

/** A started server, as the child process needs it. */
export interface RunningServer {
  /** The port it actually listens on (variants are started on port 0). */
  port: number;
  /** Stops accepting connections and releases everything the variant opened. */
  close(): Promise<void>;
  /**
   * Optional cumulative counters (Redis commands sent, fetches run, ...). The harness reads them before
   * and after each measurement and reports the difference per request, as `<name>/req` columns.
   */
  counters?: () => Record<string, number>;
}

/** The descriptor a variant file exports as `variant`. */
export interface HttpVariant {
  /** Unique across all variants, shown in the table: `"express-rate-limit (memory)"`. */
  name: string;
  /** Table and filter it belongs to: the folder under `bench/http/`, e.g. `"rate-limiter"`. */
  group: string;
  /** The framework it runs on. */
  framework: Framework;
  /** The variant this one is compared against in the same round (a baseline names itself). */
  baseline: string;
  /** The path autocannon requests. @default "/" */
  path?: string;
  /** Services that must answer before this variant can run. */
  requires?: readonly Service[];
  /** Creates the server and listens on {@link HOST}:`port` (0 for any free port). */
  start(port: number): Promise<RunningServer>;
}

/** Listens with a `node:http` server (what Express, Koa and Hono's node adapter give you). */
export function listen(
  server: Server,
  port: number,
  cleanup?: () => Promise<void> | void,
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => {
      server.off("error", reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: async () => {
          server.closeAllConnections();
          await new Promise<void>((done) => server.close(() => done()));
          await cleanup?.();
        },
      });
    });
  });
}

/** Resolves after `ms` milliseconds: a handler that does real (non-CPU) work, like a query. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
