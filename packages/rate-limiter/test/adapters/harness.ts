// Shared pieces of the framework harnesses: neutral scenario options to real callbacks.
import type { RateLimitMiddlewareOptions } from "../../src/middleware/options.js";
import type { ScenarioOptions, ScenarioResponse } from "./scenarios.js";

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

/** A supertest response as a scenario response. */
export function fromSupertest(res: {
  status: number;
  headers: Record<string, unknown>;
  text: string;
}): ScenarioResponse {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(res.headers))
    headers[name] = value === undefined ? undefined : String(value);
  return { status: res.status, headers, body: res.text };
}
