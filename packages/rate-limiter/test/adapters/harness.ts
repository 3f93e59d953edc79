// Shared pieces of the framework harnesses: neutral scenario options to real callbacks.
import request from "supertest";
import type { RateLimitMiddlewareOptions } from "../../src/middleware/options.js";
import type { RateLimiter } from "../../src/rate-limiter.js";
import type { ScenarioApp, ScenarioOptions, ScenarioResponse } from "./scenarios.js";

/** Turns the data-described callbacks into functions over a framework's request. */
export function callbacks<Req>(
  options: ScenarioOptions,
  header: (req: Req, name: string) => string | undefined,
  path: (req: Req) => string,
): RateLimitMiddlewareOptions<Req, never> {
  const { keyHeader, keyThrows, skipPath, cost, customHandler: _, ...rest } = options;
  const out: Record<string, unknown> = { ...rest };
  if (keyHeader !== undefined) out.keyGenerator = (req: Req) => header(req, keyHeader) ?? "none";
  if (keyThrows === true) {
    out.keyGenerator = () => {
      throw new Error("no key");
    };
  }
  if (skipPath !== undefined) out.skip = (req: Req) => path(req) === skipPath;
  if (typeof cost === "number") out.cost = cost;
  if (typeof cost === "string") out.cost = (req: Req) => Number(header(req, cost) ?? "1");
  return out as RateLimitMiddlewareOptions<Req, never>;
}

/** An app served over real sockets by supertest (Express, Koa, node:http). */
export function supertestApp(server: Parameters<typeof request>[0], limiter: RateLimiter): ScenarioApp {
  return {
    limiter,
    async send({ path = "/ok", headers = {} }): Promise<ScenarioResponse> {
      const res = await request(server).get(path).set(headers);
      const flat: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(res.headers as Record<string, unknown>)) {
        flat[name] = value === undefined ? undefined : String(value);
      }
      return { status: res.status, headers: flat, body: res.text };
    },
    close: async () => undefined,
  };
}
