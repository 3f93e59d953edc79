import { createServer } from "node:http";
import fc from "fast-check";
import parse from "parse-prometheus-text-format";
import request from "supertest";
import { describe, expect, it } from "vitest";
import {
  createMonitor,
  type Monitor,
  metricsHandler,
  PROMETHEUS_CONTENT_TYPE,
  type PrometheusOptions,
  toPrometheus,
} from "../src/index.js";
import { distributions, draw, seeded } from "./support/distributions.js";

const SAMPLE_LINE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? (\+Inf|-Inf|NaN|-?[0-9.]+(e[-+]?[0-9]+)?)$/;

/** Checks the exposition grammar line by line, beyond what the lenient parser checks. */
function expectWellFormed(text: string): void {
  expect(text.endsWith("\n")).toBe(true);
  const types = new Set<string>();
  for (const line of text.trimEnd().split("\n")) {
    if (line.startsWith("# TYPE ")) {
      const name = line.split(" ")[2] as string;
      expect(types.has(name), `family ${name} declared twice`).toBe(false);
      types.add(name);
    } else if (!line.startsWith("# HELP ")) {
      expect(line).toMatch(SAMPLE_LINE);
    }
  }
}

function family(text: string, name: string) {
  const found = parse(text).find((f) => f.name === name);
  if (!found) throw new Error(`no family ${name} in:\n${text}`);
  return found;
}

/**
 * One labelled histogram or summary series, parsed by the real parser. parse-prometheus-text-format
 * folds every series of a histogram or summary family into one unlabelled entry (its flattenMetrics),
 * so each series is cut out, its `name` label removed, and parsed on its own. The whole text is
 * also parsed as is by every test, which checks each line's syntax.
 */
function series(text: string, familyName: string, name: string) {
  const label = `name="${name.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
  const lines = text
    .split("\n")
    .filter(
      (line) =>
        line.startsWith(`# HELP ${familyName} `) ||
        line.startsWith(`# TYPE ${familyName} `) ||
        (line.startsWith(familyName) && line.includes(label)),
    )
    .map((line) => line.replace(`{${label}}`, "").replace(`${label},`, ""));
  const [parsed] = family(`${lines.join("\n")}\n`, familyName).metrics;
  if (!parsed) throw new Error(`no series ${name} in ${familyName}`);
  return parsed;
}

function sampleMonitor(): Monitor {
  const perf = createMonitor();
  const random = seeded(5);
  for (let i = 0; i < 3000; i++) perf.record("GET /api/education/modules/:slug", Math.exp(random() * 6 - 1));
  const h = perf.metric("POST /api/progress");
  h.record(12);
  h.recordError(250);
  h.countStatus(201);
  h.countStatus(500);
  return perf;
}

describe("toPrometheus", () => {
  it("emits a histogram per metric that a real parser reads, in seconds, with _count and _sum", () => {
    const perf = sampleMonitor();
    const text = toPrometheus({ source: perf, process: false });
    expectWellFormed(text);
    const duration = family(text, "keel_duration_seconds");
    expect(duration.type).toBe("HISTOGRAM");
    expect(duration.help).toContain("seconds");
    const slug = series(text, "keel_duration_seconds", "GET /api/education/modules/:slug");
    const m = perf.getMetrics("GET /api/education/modules/:slug");
    expect(Number(slug?.count)).toBe(m?.count);
    expect(Number(slug?.sum)).toBeCloseTo((m?.total ?? 0) / 1000, 9);
    const buckets = Object.entries(slug?.buckets ?? {}).map(
      ([le, n]) => [le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le), Number(n)] as const,
    );
    buckets.sort((a, b) => a[0] - b[0]);
    expect(buckets.at(-1)).toEqual([Number.POSITIVE_INFINITY, m?.count]);
    for (let i = 1; i < buckets.length; i++)
      expect(buckets[i]?.[1]).toBeGreaterThanOrEqual(buckets[i - 1]?.[1] ?? 0);
    // Default grid: 4 bounds per doubling from 2^-10 s to 64 s, plus +Inf.
    expect(buckets).toHaveLength(16 * 4 + 1 + 1);
    expect(buckets[0]?.[0]).toBe(2 ** -10);
    expect(buckets.at(-2)?.[0]).toBe(64);
  });

  it("gives exact le counts, since export bounds coincide with the monitor's buckets", () => {
    fc.assert(
      fc.property(distributions, fc.integer(), fc.constantFrom(1, 2, 4, 8, 48), (distribution, seed, b) => {
        const samples = draw(distribution, 500, seed);
        const perf = createMonitor();
        for (const ms of samples) perf.record("op", ms);
        const text = toPrometheus({
          source: perf,
          process: false,
          bucketsPerDoubling: b,
          minSeconds: 1e-6,
          maxSeconds: 64,
        });
        const metric = series(text, "keel_duration_seconds", "op");
        for (const [le, count] of Object.entries(metric?.buckets ?? {})) {
          const bound = le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le) * 1000;
          expect(Number(count)).toBe(samples.filter((ms) => ms <= bound).length);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("counts errors and status classes as counters", () => {
    const text = toPrometheus({ source: sampleMonitor(), process: false });
    const errors = family(text, "keel_errors_total");
    expect(errors.type).toBe("COUNTER");
    expect(errors.metrics.find((m) => m.labels?.name === "POST /api/progress")?.value).toBe("1");
    const responses = family(text, "keel_responses_total");
    const classes = responses.metrics
      .filter((m) => m.labels?.name === "POST /api/progress")
      .map((m) => [m.labels?.status_class, m.value]);
    expect(classes).toEqual([
      ["1xx", "0"],
      ["2xx", "1"],
      ["3xx", "0"],
      ["4xx", "0"],
      ["5xx", "1"],
    ]);
  });

  it("escapes label values so any metric name reads back unchanged", () => {
    const perf = createMonitor();
    const awkward = 'GET /a\\b "quoted"\nnext line';
    perf.record(awkward, 1);
    const text = toPrometheus({ source: perf, process: false, labels: { service: 'edu "api"' } });
    expectWellFormed(text);
    const [errors] = family(text, "keel_errors_total").metrics;
    expect(errors?.labels).toEqual({ name: awkward, service: 'edu "api"' });
    const plain = toPrometheus({ source: perf, process: false });
    expect(series(plain, "keel_duration_seconds", awkward).count).toBe("1");
  });

  it("sanitizes the prefix into a valid metric name", () => {
    const perf = sampleMonitor();
    expect(
      family(toPrometheus({ source: perf, prefix: "my-app.v2" }), "my_app_v2_duration_seconds"),
    ).toBeDefined();
    expect(
      family(toPrometheus({ source: perf, prefix: "9lives" }), "_9lives_duration_seconds"),
    ).toBeDefined();
  });

  it("emits the monitor's own percentiles as a summary when asked", () => {
    const perf = sampleMonitor();
    const text = toPrometheus({ source: perf, type: "summary", process: false });
    expectWellFormed(text);
    const duration = family(text, "keel_duration_seconds");
    expect(duration.type).toBe("SUMMARY");
    const slug = series(text, "keel_duration_seconds", "GET /api/education/modules/:slug");
    const m = perf.getMetrics("GET /api/education/modules/:slug");
    expect(Number(slug?.quantiles?.["0.99"])).toBe((m?.p99 ?? 0) / 1000);
    expect(Number(slug?.quantiles?.["0.5"])).toBe((m?.p50 ?? 0) / 1000);
    expect(Number(slug?.count)).toBe(m?.count);
  });

  it("exports a snapshot, such as one merged from cluster workers", () => {
    const snapshot = sampleMonitor().snapshot();
    const text = toPrometheus({ source: snapshot });
    expectWellFormed(text);
    expect(text).not.toContain("process_memory");
    expect(series(text, "keel_duration_seconds", "POST /api/progress").count).toBe("2");
    expect(family(text, "keel_errors_total").metrics).toHaveLength(2);
  });

  it("includes process memory and event-loop delay gauges when the monitor has them", () => {
    const perf = createMonitor({ eventLoopDelay: true });
    perf.record("x", 1);
    const text = toPrometheus({ source: perf });
    expectWellFormed(text);
    const memory = family(text, "keel_process_memory_bytes");
    expect(memory.type).toBe("GAUGE");
    expect(memory.metrics.map((m) => m.labels?.type).sort()).toEqual([
      "arrayBuffers",
      "external",
      "heapTotal",
      "heapUsed",
      "rss",
    ]);
    expect(family(text, "keel_event_loop_delay_seconds").type).toBe("SUMMARY");
    perf.close();
    expect(toPrometheus({ source: createMonitor() })).not.toContain("event_loop");
  });

  it("uses the default monitor when given no source", () => {
    expectWellFormed(toPrometheus());
  });

  it("serves a well-formed exposition that stays within one bucket's width under histogram_quantile", () => {
    // Prometheus's histogram_quantile interpolates linearly inside the bucket holding the rank.
    const quantileFromBuckets = (buckets: [number, number][], q: number) => {
      const total = buckets.at(-1)?.[1] ?? 0;
      const rank = q * total;
      let previous: [number, number] = [0, 0];
      for (const bucket of buckets) {
        if (bucket[1] >= rank) {
          return previous[0] + ((bucket[0] - previous[0]) * (rank - previous[1])) / (bucket[1] - previous[1]);
        }
        previous = bucket;
      }
      return Number.NaN;
    };
    const perf = createMonitor();
    const random = seeded(9);
    const samples = Array.from({ length: 20_000 }, () =>
      Math.exp(3 + 0.8 * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())),
    );
    for (const ms of samples) perf.record("GET /x", ms);
    const metric = series(toPrometheus({ source: perf, process: false }), "keel_duration_seconds", "GET /x");
    const buckets = Object.entries(metric?.buckets ?? {})
      .filter(([le]) => le !== "+Inf")
      .map(([le, n]) => [Number(le), Number(n)] as [number, number])
      .sort((a, b) => a[0] - b[0]);
    const sorted = [...samples].sort((a, b) => a - b);
    const exact = (sorted[Math.ceil(0.99 * sorted.length) - 1] as number) / 1000;
    const estimate = quantileFromBuckets(buckets, 0.99);
    expect(Math.abs(estimate - exact) / exact).toBeLessThanOrEqual(2 ** (1 / 4) - 1);
  });

  it.each<[string, PrometheusOptions | number]>([
    ["non-object options", 3],
    ["an empty prefix", { prefix: "" }],
    ["an unknown type", { type: "gauge" as "summary" }],
    ["5 buckets per doubling", { bucketsPerDoubling: 5 }],
    ["minSeconds below 2^-20", { minSeconds: 1e-9 }],
    ["maxSeconds above 4096", { maxSeconds: 10_000 }],
    ["minSeconds above maxSeconds", { minSeconds: 2, maxSeconds: 1 }],
    ["labels that are not an object", { labels: "x" as unknown as Record<string, string> }],
    ["a reserved label", { labels: { le: "1" } }],
    ["a label starting with __", { labels: { __x: "1" } }],
    ["an invalid label name", { labels: { "a-b": "1" } }],
    ["a non-string label value", { labels: { a: 1 as unknown as string } }],
    ["a non-boolean process", { process: "yes" as unknown as boolean }],
  ])("rejects %s with ERR_KEEL_PERF_MONITOR_OPTION", (_, options) => {
    const code = { code: "ERR_KEEL_PERF_MONITOR_OPTION" };
    expect(() => toPrometheus(options as PrometheusOptions)).toThrow(expect.objectContaining(code));
    expect(() => metricsHandler(options as PrometheusOptions)).toThrow(expect.objectContaining(code));
  });
});

describe("metricsHandler", () => {
  it("serves /metrics over node:http with the exposition content type", async () => {
    const perf = sampleMonitor();
    const handler = metricsHandler({ source: perf });
    const response = await request(createServer((req, res) => handler(req, res))).get("/metrics");
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe(PROMETHEUS_CONTENT_TYPE);
    expectWellFormed(response.text);
    expect(series(response.text, "keel_duration_seconds", "POST /api/progress").count).toBe("2");
  });

  it("passes a rendering failure to next(), or answers 500 without it", async () => {
    const broken = {
      snapshot() {
        throw new Error("snapshot failed");
      },
    } as unknown as Monitor;
    const handler = metricsHandler({ source: broken });
    const failures: unknown[] = [];
    handler({}, { statusCode: 0, setHeader: () => undefined, end: () => undefined }, (e) => failures.push(e));
    expect(failures).toHaveLength(1);
    const response = await request(createServer((req, res) => handler(req, res))).get("/metrics");
    expect(response.status).toBe(500);
    expect(response.text).toContain("snapshot failed");
  });
});
