// Drives the framework-free core directly: requests as RequestViews, responses as captured objects.
import type { RequestView } from "@keel/http";
import { createCache } from "../../src/cache.js";
import type { CacheMiddlewareOptions } from "../../src/middleware/options.js";
import { ResponseCache } from "../../src/middleware/response-cache.js";
import type { Exchange, Step } from "../../src/middleware/steps.js";
import type { CapturedHttpResponse } from "../../src/middleware/stored-response.js";

export function view(method: string, target: string, headers: Record<string, string> = {}): RequestView {
  const [path = "/", query = ""] = target.split("?");
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, path, query, remoteAddress: undefined, header: (name) => lower[name.toLowerCase()] };
}

export function text(
  body: string,
  headers: Record<string, string | string[]> = {},
  status = 200,
): CapturedHttpResponse {
  return {
    status,
    headers: { "content-type": "text/plain", ...headers },
    body: new TextEncoder().encode(body),
  };
}

export function core(options: Partial<CacheMiddlewareOptions<undefined>> = {}) {
  let now = Date.UTC(2030, 0, 1);
  const clock = { now: () => now };
  const cache = createCache({ clock });
  const ttl = options.mode === "http" ? {} : { ttl: 60 };
  const owner = new ResponseCache<undefined>({ ...ttl, cache, clock, ...options });
  const begin = async (method: string, target: string, headers?: Record<string, string>): Promise<Step> =>
    owner.begin({ view: view(method, target, headers), req: undefined, user: undefined });
  return { owner, cache, begin, advance: (ms: number) => (now += ms) };
}

export function exchangeOf(step: Step): Exchange {
  if (step.kind !== "run") throw new Error(`expected a run, got ${step.kind}`);
  return step.exchange;
}

export function header(step: Step, name: string): string | undefined {
  if (step.kind === "run" || step.kind === "pass") return undefined;
  return step.headers.find(([n]) => n === name)?.[1];
}
