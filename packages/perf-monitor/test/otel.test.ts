import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { afterEach, describe, expect, it } from "vitest";
import type { RequestRecord } from "../src/index.js";
import {
  HTTP_SERVER_REQUEST_DURATION,
  otelRequestObserver,
  requestAttributes,
  SEMCONV_DURATION_BUCKETS,
} from "../src/otel.js";

function sdk() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // The interval never fires in a test: forceFlush() collects on demand.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  return {
    provider,
    async collect() {
      await provider.forceFlush();
      const scopes = exporter.getMetrics().at(-1)?.scopeMetrics ?? [];
      return scopes.flatMap((s) => s.metrics);
    },
  };
}

const record = (overrides: Partial<RequestRecord> = {}): RequestRecord => ({
  method: "GET",
  route: "/api/education/modules/:slug",
  name: "GET /api/education/modules/:slug",
  statusCode: 200,
  durationMs: 42,
  scheme: "http",
  aborted: false,
  ...overrides,
});

const providers: MeterProvider[] = [];
afterEach(async () => {
  for (const p of providers.splice(0)) await p.shutdown();
});

describe("otelRequestObserver", () => {
  it("records http.server.request.duration in seconds with semantic-convention attributes", async () => {
    const { provider, collect } = sdk();
    providers.push(provider);
    const observe = otelRequestObserver({ meterProvider: provider });
    observe(record({ durationMs: 42 }));
    observe(record({ durationMs: 8 }));
    observe(
      record({ method: "POST", route: "/api/progress", statusCode: 503, durationMs: 1500, scheme: "https" }),
    );
    const [metric, ...rest] = await collect();
    expect(rest).toHaveLength(0);
    expect(metric?.descriptor).toMatchObject({ name: HTTP_SERVER_REQUEST_DURATION, unit: "s" });
    expect(metric?.dataPointType).toBe(DataPointType.HISTOGRAM);
    const points = metric?.dataPoints ?? [];
    expect(points).toHaveLength(2);
    const get = points.find((p) => p.attributes["http.request.method"] === "GET");
    expect(get?.attributes).toEqual({
      "http.request.method": "GET",
      "http.route": "/api/education/modules/:slug",
      "http.response.status_code": 200,
      "url.scheme": "http",
    });
    expect(get?.value).toMatchObject({ count: 2, sum: 0.05, min: 0.008, max: 0.042 });
    const post = points.find((p) => p.attributes["http.request.method"] === "POST");
    expect(post?.attributes).toMatchObject({ "error.type": "503", "url.scheme": "https" });
    expect(post?.value).toMatchObject({ count: 1, sum: 1.5 });
    const value = get?.value as { buckets: { boundaries: number[] } } | undefined;
    expect(value?.buckets.boundaries).toEqual([...SEMCONV_DURATION_BUCKETS]);
  });

  it("takes a meter directly and custom bucket bounds", async () => {
    const { provider, collect } = sdk();
    providers.push(provider);
    const observe = otelRequestObserver({ meter: provider.getMeter("app"), buckets: [0.1, 1] });
    observe(record());
    const [metric] = await collect();
    const [point] = metric?.dataPoints ?? [];
    const value = point?.value as { buckets: { boundaries: number[]; counts: number[] } } | undefined;
    expect(value?.buckets).toEqual({
      boundaries: [0.1, 1],
      counts: [1, 0, 0],
    });
  });

  it("uses the global meter provider by default (a no-op until one is registered)", () => {
    const observe = otelRequestObserver();
    expect(() => observe(record())).not.toThrow();
  });

  it.each([
    ["a meter without createHistogram", { meter: {} }],
    ["unsorted buckets", { buckets: [1, 0.5] }],
    ["non-positive buckets", { buckets: [0, 1] }],
  ])("rejects %s with ERR_KEEL_PERF_MONITOR_OPTION", (_, options) => {
    expect(() => otelRequestObserver(options as never)).toThrow(
      expect.objectContaining({ code: "ERR_KEEL_PERF_MONITOR_OPTION" }),
    );
  });
});

describe("requestAttributes", () => {
  it("leaves http.route out when no route matched", () => {
    expect(requestAttributes(record({ route: undefined }))).not.toHaveProperty("http.route");
  });

  it("reports a non-standard method as _OTHER", () => {
    expect(requestAttributes(record({ method: "PURGE" }))["http.request.method"]).toBe("_OTHER");
  });

  it("marks aborted requests with error.type aborted", () => {
    expect(requestAttributes(record({ aborted: true, statusCode: 200 }))["error.type"]).toBe("aborted");
  });

  it("sets no error.type below 500 and no status when none was set", () => {
    const attributes = requestAttributes(record({ statusCode: 0 }));
    expect(attributes).not.toHaveProperty("error.type");
    expect(attributes).not.toHaveProperty("http.response.status_code");
  });
});
