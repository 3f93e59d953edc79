// One table of request/response scenarios, run against every framework adapter with in-process
// requests. A framework harness maps the neutral options below to its own callbacks.
import { afterEach, describe, expect, it } from "vitest";
import type { RateLimitMiddlewareOptions } from "../../src/middleware/options.js";
import type { RateLimiter } from "../../src/rate-limiter.js";
import { type ManualClock, manualClock } from "../../src/testing/manual-clock.js";
import { type Fault, faultyStore } from "../helpers/faulty-store.js";

export const T0 = 1_700_000_000_000;

/** Framework-neutral options: the middleware's own, plus callbacks described as data. */
export interface ScenarioOptions
  extends Omit<RateLimitMiddlewareOptions<never>, "keyGenerator" | "skip" | "cost" | "handler"> {
  /** keyGenerator: the value of this request header. */
  readonly keyHeader?: string;
  /** keyGenerator: throws. */
  readonly keyThrows?: boolean;
  /** skip: requests to this path. */
  readonly skipPath?: string;
  /** cost: the number in this request header, or a fixed number. */
  readonly cost?: string | number;
  /** handler: answers 418 with the text "slow down". */
  readonly customHandler?: boolean;
}

export interface ScenarioRequest {
  /** `/ok` (200), `/fail` (500) or `/health` (200). @default "/ok" */
  readonly path?: string;
  /** Request headers; `x-user` makes the test's authentication sign that user in. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ScenarioResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

export interface ScenarioApp {
  send(request: ScenarioRequest): Promise<ScenarioResponse>;
  close(): Promise<void>;
  readonly limiter: RateLimiter;
}

/** What each framework's test file provides: an app with fake-auth, the middleware and three routes. */
export interface Framework {
  readonly name: string;
  start(options: ScenarioOptions): Promise<ScenarioApp>;
}

interface Step {
  readonly request?: ScenarioRequest;
  /** Milliseconds the clock moves before the request. */
  readonly advance?: number;
  readonly status: number;
  /** Expected header values; `undefined` means absent. */
  readonly headers?: Readonly<Record<string, string | RegExp | undefined>>;
  /** Expected JSON body. */
  readonly json?: unknown;
  /** Expected text body. */
  readonly text?: string;
}

interface Scenario {
  readonly name: string;
  readonly options: ScenarioOptions;
  /** A store that fails this way (a real store that misbehaves on purpose). */
  readonly storeFault?: Fault;
  readonly steps: readonly Step[];
}

const ok = (headers?: Record<string, string>): ScenarioRequest => ({
  path: "/ok",
  ...(headers ? { headers } : {}),
});
const as = (user: string): ScenarioRequest => ok({ "x-user": user });
const from = (forwardedFor: string): ScenarioRequest => ok({ "x-forwarded-for": forwardedFor });
const NO_QUOTA_HEADERS = {
  "x-ratelimit-limit": undefined,
  "ratelimit-policy": undefined,
  ratelimit: undefined,
};

export const scenarios: readonly Scenario[] = [
  {
    name: "admits up to the limit, then refuses with 429, Retry-After and a JSON body",
    options: { limit: 2, window: 60 },
    steps: [
      {
        status: 200,
        headers: {
          "x-ratelimit-limit": "2",
          "x-ratelimit-remaining": "1",
          "x-ratelimit-reset": "1700000060",
          "ratelimit-policy": '"default";q=2;w=60',
          ratelimit: '"default";r=1;t=60',
          "retry-after": undefined,
        },
      },
      {
        advance: 15_000,
        status: 200,
        headers: { "x-ratelimit-remaining": "0", ratelimit: '"default";r=0;t=45' },
      },
      {
        advance: 500,
        status: 429,
        headers: { "retry-after": "45", "x-ratelimit-remaining": "0", "content-type": /^application\/json/ },
        json: {
          error: "Too Many Requests",
          message: "Too many requests, please try again later.",
          retryAfter: 45,
        },
      },
      {
        advance: 44_500,
        status: 200,
        headers: { "x-ratelimit-remaining": "1", "x-ratelimit-reset": "1700000120" },
      },
    ],
  },
  {
    name: "sends only the original's headers with headers: legacy",
    options: { limit: 5, window: 60, headers: "legacy" },
    steps: [
      {
        status: 200,
        headers: { "x-ratelimit-limit": "5", "ratelimit-policy": undefined, ratelimit: undefined },
      },
    ],
  },
  {
    name: "sends only the IETF draft fields with headers: draft",
    options: { limit: 5, window: 60, headers: "draft" },
    steps: [
      { status: 200, headers: { "x-ratelimit-limit": undefined, "ratelimit-policy": '"default";q=5;w=60' } },
    ],
  },
  {
    name: "sends no rate-limit headers with headers: false, but Retry-After on every refusal",
    options: { limit: 1, window: 60, headers: false },
    steps: [
      { status: 200, headers: NO_QUOTA_HEADERS },
      { status: 429, headers: { ...NO_QUOTA_HEADERS, "retry-after": "60" } },
    ],
  },
  {
    name: "uses the message and status code it is given",
    options: { limit: 1, window: 10, message: "Slow down", statusCode: 503 },
    steps: [
      { status: 200 },
      {
        status: 503,
        headers: { "retry-after": "10" },
        json: { error: "Too Many Requests", message: "Slow down", retryAfter: 10 },
      },
    ],
  },
  {
    name: "lets a handler answer refusals, with the headers already set",
    options: { limit: 1, window: 60, customHandler: true },
    steps: [
      { status: 200 },
      { status: 418, text: "slow down", headers: { "retry-after": "60", "x-ratelimit-remaining": "0" } },
    ],
  },
  {
    name: "keys signed-in users by their id, apart from each other and from their address",
    options: { limit: 1, window: 60 },
    steps: [
      { request: as("alice"), status: 200 },
      { request: as("bob"), status: 200 },
      { request: ok(), status: 200 },
      { request: as("alice"), status: 429 },
      { request: ok(), status: 429 },
    ],
  },
  {
    name: "ignores X-Forwarded-For unless trustProxy says so: a spoofed header never changes the key",
    options: { limit: 1, window: 60 },
    steps: [
      { request: from("203.0.113.1"), status: 200 },
      { request: from("203.0.113.2"), status: 429 },
      { request: ok({ forwarded: "for=198.51.100.7" }), status: 429 },
    ],
  },
  {
    name: "reads the client address through trusted proxies only",
    options: { limit: 1, window: 60, trustProxy: "loopback" },
    steps: [
      { request: from("203.0.113.1"), status: 200 },
      { request: from("203.0.113.2"), status: 200 },
      { request: from("203.0.113.1"), status: 429 },
      // the client prepends a fake hop; the first untrusted hop is still 203.0.113.2
      { request: from("198.51.100.9, 203.0.113.2"), status: 429 },
    ],
  },
  {
    name: "groups IPv6 clients by /56 by default",
    options: { limit: 1, window: 60, trustProxy: true },
    steps: [
      { request: from("2001:db8:0:1200::1"), status: 200 },
      { request: from("2001:db8:0:12ff:ffff::2"), status: 429 },
      { request: from("2001:db8:0:1300::1"), status: 200 },
    ],
  },
  {
    name: "groups IPv6 clients by the prefix it is given",
    options: { limit: 1, window: 60, trustProxy: true, ipv6Subnet: 64 },
    steps: [
      { request: from("2001:db8:0:1200::1"), status: 200 },
      { request: from("2001:db8:0:1201::1"), status: 200 },
      { request: from("2001:db8:0:1200:ffff::9"), status: 429 },
    ],
  },
  {
    name: "leaves requests that skip() names alone: not counted, no headers",
    options: { limit: 1, window: 60, skipPath: "/health" },
    steps: [
      { request: { path: "/health" }, status: 200, headers: NO_QUOTA_HEADERS },
      { request: { path: "/health" }, status: 200 },
      { status: 200 },
      { status: 429 },
    ],
  },
  {
    name: "spends the cost of each request",
    options: { limit: 3, window: 60, cost: "x-cost" },
    steps: [
      { request: ok({ "x-cost": "2" }), status: 200, headers: { "x-ratelimit-remaining": "1" } },
      { request: ok({ "x-cost": "2" }), status: 429 },
      { request: ok({ "x-cost": "1" }), status: 200, headers: { "x-ratelimit-remaining": "0" } },
    ],
  },
  {
    name: "refuses a cost above the limit, retry after one window",
    options: { limit: 3, window: 60, cost: 5 },
    steps: [{ status: 429, headers: { "retry-after": "60", "x-ratelimit-remaining": "3" } }],
  },
  {
    name: "counts only failed requests with skipSuccessfulRequests (refunded once the response is sent)",
    options: { limit: 2, window: 60, skipSuccessfulRequests: true },
    steps: [
      { status: 200 },
      { status: 200 },
      { status: 200 },
      { request: { path: "/fail" }, status: 500 },
      { request: { path: "/fail" }, status: 500 },
      { status: 429 },
    ],
  },
  {
    name: "counts only successful requests with skipFailedRequests",
    options: { limit: 2, window: 60, skipFailedRequests: true },
    steps: [
      { request: { path: "/fail" }, status: 500 },
      { request: { path: "/fail" }, status: 500 },
      { request: { path: "/fail" }, status: 500 },
      { status: 200 },
      { status: 200 },
      { request: { path: "/fail" }, status: 429 },
    ],
  },
  {
    name: "keys requests by keyGenerator when given",
    options: { limit: 1, window: 60, keyHeader: "x-api-key" },
    steps: [
      { request: ok({ "x-api-key": "a" }), status: 200 },
      { request: ok({ "x-api-key": "b" }), status: 200 },
      { request: ok({ "x-api-key": "a" }), status: 429 },
    ],
  },
  {
    name: "passes a keyGenerator error to the framework's error handling",
    options: { limit: 1, window: 60, keyThrows: true },
    steps: [{ status: 500 }],
  },
  {
    name: "fails open when the store fails, without quota headers",
    options: { limit: 1, window: 60 },
    storeFault: "reject",
    steps: [
      { status: 200, headers: NO_QUOTA_HEADERS },
      { status: 200, headers: NO_QUOTA_HEADERS },
    ],
  },
  {
    name: "fails closed with onStoreError: deny, retry after one second",
    options: { limit: 1, window: 60, onStoreError: "deny" },
    storeFault: "reject",
    steps: [{ status: 429, headers: { "retry-after": "1" } }],
  },
  {
    name: "never hangs on a store that never answers",
    options: { limit: 1, window: 60, storeTimeout: 20 },
    storeFault: "hang",
    steps: [{ status: 200 }, { status: 200 }],
  },
  {
    name: "refuses denied keys and never limits allowed ones",
    options: { limit: 1, window: 60, denyList: ["user:mallory"], allowList: ["user:admin"] },
    steps: [
      { request: as("mallory"), status: 429, headers: { "retry-after": "60" } },
      { request: as("admin"), status: 200, headers: NO_QUOTA_HEADERS },
      { request: as("admin"), status: 200 },
    ],
  },
  {
    name: "keeps a key blocked for blockDuration",
    options: { limit: 1, window: 60, blockDuration: 300 },
    steps: [
      { status: 200 },
      { status: 429, headers: { "retry-after": "300" } },
      { advance: 60_000, status: 429, headers: { "retry-after": "240" } },
      { advance: 240_000, status: 200 },
    ],
  },
  {
    name: "decides several policies at once and lists each in the draft fields",
    options: {
      policies: [
        { name: "burst", limit: 2, window: 1 },
        { name: "hour", limit: 3, window: 3_600 },
      ],
    },
    steps: [
      {
        status: 200,
        headers: {
          "ratelimit-policy": '"burst";q=2;w=1, "hour";q=3;w=3600',
          ratelimit: '"burst";r=1;t=1, "hour";r=2;t=3600',
          "x-ratelimit-limit": "2",
        },
      },
      { status: 200 },
      { status: 429, headers: { "retry-after": "1", "x-ratelimit-limit": "2" } },
      { advance: 1_000, status: 200, headers: { "x-ratelimit-limit": "3", "x-ratelimit-remaining": "0" } },
      { status: 429, headers: { "retry-after": "3599", "x-ratelimit-limit": "3" } },
    ],
  },
];

/** Runs the whole table against one framework. */
export function runScenarios(framework: Framework): void {
  describe(`${framework.name}: rate-limit middleware scenarios`, () => {
    let app: ScenarioApp | undefined;
    afterEach(async () => {
      await app?.close();
      await app?.limiter.close();
      app = undefined;
    });

    for (const scenario of scenarios) {
      it(scenario.name, async () => {
        const clock: ManualClock = manualClock(T0);
        const store = scenario.storeFault === undefined ? undefined : faultyStore(clock);
        if (store !== undefined) store.fault = scenario.storeFault as Fault;
        app = await framework.start({ ...scenario.options, clock, ...(store ? { store } : {}) });
        for (const [index, step] of scenario.steps.entries()) {
          if (step.advance !== undefined) clock.advance(step.advance);
          const response = await app.send(step.request ?? ok());
          const where = `step ${index + 1}`;
          expect(response.status, where).toBe(step.status);
          for (const [name, value] of Object.entries(step.headers ?? {})) {
            if (value instanceof RegExp) expect(response.headers[name], `${where}: ${name}`).toMatch(value);
            else expect(response.headers[name], `${where}: ${name}`).toBe(value);
          }
          if (step.json !== undefined) expect(JSON.parse(response.body), where).toEqual(step.json);
          if (step.text !== undefined) expect(response.body, where).toBe(step.text);
        }
      });
    }
  });
}
